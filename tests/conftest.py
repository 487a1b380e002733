"""Shared test set-up: a headless matplotlib backend before anything imports pyplot."""
import matplotlib

matplotlib.use("Agg")
