"""Flashcards and spaced repetition: review states, the append-only review log, study sessions and statistics."""
