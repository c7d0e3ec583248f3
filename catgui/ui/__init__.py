"""The Qt window. One widget per module; all long work runs in catgui.workers."""
