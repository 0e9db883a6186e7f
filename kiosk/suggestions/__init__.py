"""Visitors' 小建议: the rules a suggestion must follow, keeping it durably, and its form and receipt."""
