"""One place that knows which architectures the trainer runs: config.json model_type → transformers class, ONNX exporter, LoRA module prefixes."""
import json
from dataclasses import dataclass
from pathlib import Path

import torch


@dataclass(frozen=True)
class Arch:
    name: str
    model_types: tuple
    # module-name prefixes of the text decoder layers, the vision encoder layers and the projector's Linear modules
    text_prefix: str
    vision_prefix: str
    projector_prefix: str
    # text-layer aliases of the seeds' Llama names: LFM2 renames them (lora_aliases.json), Llama keeps them
    text_alias_table: bool


LFM2_VL = Arch("LFM2-VL", ("lfm2_vl",), "model.language_model.layers.", "model.vision_tower.encoder.layers.",
               "model.multi_modal_projector.", True)
SMOLVLM = Arch("SmolVLM", ("smolvlm", "idefics3"), "model.text_model.layers.", "model.vision_model.encoder.layers.",
               "model.connector.modality_projection.", False)
ARCHES = (LFM2_VL, SMOLVLM)


def model_type_of(model_dir: Path) -> str:
    path = Path(model_dir) / "config.json"
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: --base/--model must be a PyTorch model folder")
    return json.loads(path.read_text()).get("model_type", "")


def arch_for(model_type: str) -> Arch:
    for a in ARCHES:
        if model_type in a.model_types:
            return a
    supported = ", ".join(t for a in ARCHES for t in a.model_types)
    raise ValueError(f"model_type {model_type!r} is not supported by the trainer (supported: {supported})")


def model_class(model_type: str):
    """The transformers class that builds this model_type (SmolVLM and Idefics3 have their own, same layout)."""
    arch_for(model_type)
    if model_type == "lfm2_vl":
        from transformers import Lfm2VlForConditionalGeneration
        return Lfm2VlForConditionalGeneration
    if model_type == "smolvlm":
        from transformers import SmolVLMForConditionalGeneration
        return SmolVLMForConditionalGeneration
    from transformers import Idefics3ForConditionalGeneration
    return Idefics3ForConditionalGeneration


def load_model(model_dir: Path):
    """(model in float32, its Arch) for a PyTorch folder, dispatched on config.json's model_type."""
    mt = model_type_of(model_dir)
    return model_class(mt).from_pretrained(model_dir, dtype=torch.float32), arch_for(mt)


def export_sessions_for(model, out_dir: Path, external_data_over: int) -> dict:
    """The architecture's ONNX exporter (three sessions in the studio's transformers.js layout)."""
    if arch_for(model.config.model_type) is SMOLVLM:
        from .smolvlm_export import export_sessions as smol
        return smol(model, out_dir, external_data_over)
    from .export_onnx import export_sessions
    return export_sessions(model, out_dir, external_data_over)
