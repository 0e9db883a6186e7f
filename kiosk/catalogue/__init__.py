"""The catalogue of winners: the vocabulary (awards, kinds, categories), achievement queries and search."""
