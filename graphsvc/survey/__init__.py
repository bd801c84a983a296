"""The relationship survey: rounds, invitations, answers and their figures (a service)."""
