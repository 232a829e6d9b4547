package catalog

import (
	"embed"
	"fmt"
)

// shippedFS holds the catalogues homthu installs on a new database, as files
// in the catalogue format, one per catalogue, named by its code. Their
// titles and explanations are our own plain words (issue 9); an
// administrator loads the official wording as version 2.
//
//go:embed shipped/*.txt
var shippedFS embed.FS

// shippedOrder is the order in which the catalogues are installed and posted.
var shippedOrder = []string{"NQ4", "QD37"}

// Shipped returns the shipped catalogues, each at version 1, in the order
// they are posted: the 27 manifestations, then the 19 prohibitions. An
// error means a shipped file is broken, which TestShipped rules out.
func Shipped() ([]*Catalog, error) {
	var out []*Catalog
	for _, code := range shippedOrder {
		data, err := shippedFS.ReadFile("shipped/" + code + ".txt")
		if err != nil {
			return nil, fmt.Errorf("catalog.Shipped: %w", err)
		}
		c, err := Parse(data)
		if err != nil {
			return nil, fmt.Errorf("catalog.Shipped: %s: %w", code, err)
		}
		out = append(out, c)
	}
	return out, nil
}
