"""Avatar packages: versioned folders holding the source image, landmarks and consent."""
