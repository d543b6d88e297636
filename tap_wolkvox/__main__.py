"""``python -m tap_wolkvox`` runs the tap."""

from tap_wolkvox.tap import main

main()
