package httpapi

import (
	"embed"
	"io/fs"
	"net/http"
)

// The ReDoc 2.5.1 standalone bundle from the npm registry, with its
// licences, so /api/redoc/ needs no CDN.
//
//go:embed redoc/redoc.standalone.js redoc/LICENSE redoc/redoc.standalone.js.LICENSE.txt
var redocFiles embed.FS

var redocAssets = mustSub(redocFiles, "redoc")

func mustSub(fsys embed.FS, dir string) fs.FS {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		panic(err) // the directory is embedded above; cannot happen
	}
	return sub
}

const redocPage = `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<title>IGNY8 API — ReDoc</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body { margin: 0; padding: 0; }</style>
</head>
<body>
<redoc spec-url="/api/schema/"></redoc>
<script src="/api/redoc/static/redoc.standalone.js"></script>
</body>
</html>
`

func serveRedoc(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write([]byte(redocPage))
}
