"""Candidates: mentors and mentees of one branch, and their place in the programme."""
