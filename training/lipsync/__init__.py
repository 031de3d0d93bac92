"""The lip-sync model: aligned speech from offline engines, augmentation, training, export."""
