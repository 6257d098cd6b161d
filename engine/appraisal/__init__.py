"""The city's appraisal file (hồ sơ thẩm định): its shape, reading, and chain of sha256 links."""
