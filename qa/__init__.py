"""careerkg qa package."""
