"""LFM2-VL LoRA trainer and ONNX exporter for VLM Classifier Studio (see trainer/README.md)."""
