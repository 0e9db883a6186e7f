"""Content packs (`wuxiao-pack/1`): opening, checking, importing all or nothing, and the `flask pack` CLI."""
