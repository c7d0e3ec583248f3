"""The Camera tab: the active model's verdict on a live camera or a video, snapshots, and
"teach it your cat" (samples recorded into cat / not cat, a head trained on them)."""
