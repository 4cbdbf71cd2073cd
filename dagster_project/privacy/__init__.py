"""Personal data: column classification, keyed pseudonyms, erasure, consent and retention."""
