"""Reading every article in eight languages: machine translation engines, model packages,
automatic translation on publish, and the translation status that editors see."""
