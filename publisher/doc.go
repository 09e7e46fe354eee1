// Package publisher will publish approved content to the site's platform
// (the IGNY8 WordPress plugin's REST API first): scheduling, publishing
// records, retries, and the WordPress → IGNY8 sync the plugin calls with its
// per-site API key.
package publisher
