"""Recipes that build Studio's models from data made on this machine. Not shipped with the app."""
