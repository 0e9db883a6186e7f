"""Presenter mode: the big screen (/present) driven from a paired phone (/remote) for a 路演."""
