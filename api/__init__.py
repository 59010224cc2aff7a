"""careerkg api package."""
