"""Pages of the authority side, one module per part of the product."""
