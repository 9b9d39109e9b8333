"""RSS 2.0 and Atom feeds: the whole site, each language, section, author and tag, and the
`<link rel="alternate">` tags that point readers' feed readers at them."""
