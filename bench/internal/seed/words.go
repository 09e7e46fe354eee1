package seed

// vocabulary is what keywords are made of: modifier + adjective + noun +
// optional suffix. It is returned by a function (not kept in package
// variables) so nothing can change it between runs.
type vocabulary struct {
	modifiers, adjectives, nouns, suffixes []string
}

func words() vocabulary {
	return vocabulary{
		modifiers: []string{"best", "cheap", "how to choose", "top", "buy", "review", "guide to", "affordable",
			"premium", "lightweight", "waterproof", "beginner", "professional", "used", "custom", "discount"},
		adjectives: []string{"running", "hiking", "trail", "winter", "summer", "kids", "mens", "womens", "ultralight",
			"leather", "carbon", "wool", "cotton", "vintage", "smart", "folding", "insulated", "compact", "electric", "classic"},
		nouns: []string{"shoes", "jacket", "backpack", "watch", "tent", "bottle", "socks", "headphones", "gloves", "helmet",
			"mat", "bag", "boots", "shorts", "leggings", "cap", "sunglasses", "tracker", "bike", "skateboard",
			"kayak", "paddle", "rope", "harness", "lamp", "stove", "chair", "table", "hammock", "cooler",
			"knife", "compass", "map", "poles", "vest", "scarf", "belt", "wallet", "umbrella", "towel"},
		// "" twice: about one keyword in six has no suffix.
		suffixes: []string{"", "", "for women", "for men", "for kids", "near me", "online", "sale", "price", "2026",
			"comparison", "reviews"},
	}
}

// SearchTerms are the ?search= variants of the load: words of the
// vocabulary with different selectivity (≈6% to ≈25% of a sector's
// keywords), so every page is full and the count does real work.
func SearchTerms() []string { return []string{"best", "price", "guide", "for"} }

// sectorNames name the sectors of each site, in order.
func sectorNames() []string {
	return []string{"Running", "Outdoors", "Cycling", "Water sports", "Travel"}
}
