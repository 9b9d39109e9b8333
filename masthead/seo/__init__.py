"""What search engines and social networks read: sitemaps (with hreflang alternates and a
Google News sitemap), robots.txt, JSON-LD structured data, OpenGraph and Twitter cards, and the
site-wide settings they need (publisher logo, policies, feed content)."""
