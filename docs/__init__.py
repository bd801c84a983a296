"""Documentation shipped with the app: the facilitator's guide and its screenshots."""
