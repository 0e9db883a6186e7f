"""Staff's area: PIN sign-in, moderating suggestions, exports, the sync screen, and `flask staff`."""
