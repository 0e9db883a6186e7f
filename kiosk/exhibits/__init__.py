"""The visitor's screens: the attract loop, home, an achievement's detail, its quiz, and usage figures."""
