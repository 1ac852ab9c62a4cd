"""The host side of the trust boundary: hidden tests talk to the submission
only through the ``candidate`` proxy defined here."""
