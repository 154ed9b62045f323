// Package demo serves the bundled demo member sites that `casebook demo`
// crawls and the tests run against: four realistic websites of members of
// the Intercultural Cities network and the International Observatory of
// Mayors on Living Together, each with its own CMS conventions.
//
//   - icc: the network portal (Liferay-like), English with French and German
//     translations linked by hreflang, paginated listing, tracking
//     parameters on listing links, gzipped sitemap index.
//   - oive: a French-first Drupal-like site with facts in a definition list
//     and English translations.
//   - duesseldorf: a German TYPO3-like city site with facts in a table and
//     English translations.
//   - hub: a WordPress-like magazine whose practice pages carry their facts
//     only as schema.org JSON-LD and meta tags.
//
// The practice texts live in content/<site>/<slug>.<lang>.md (see Parse for
// the format) and are embedded in the binary. Sites returns the handlers;
// Start serves every site on its own loopback listener and describes each
// one as a crawler.Source.
package demo
