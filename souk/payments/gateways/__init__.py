"""Payment gateway adapters and the protocols they speak."""
