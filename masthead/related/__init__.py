""" "More Articles": for each live article, the most related live articles in its language,
scored in the background (shared tags, section, authors, recency, lexical similarity) and
stored so that rendering them costs one query."""
