"""Cost allocation and consignment usage on screen."""
