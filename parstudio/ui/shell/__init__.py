"""The main window, its menus, opening a database and signing in."""
