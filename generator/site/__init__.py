"""The site: page contexts, charts, templates, words, search index and the writing of the output folder."""
