"""Qt-free services shared by the screens and the command line."""
