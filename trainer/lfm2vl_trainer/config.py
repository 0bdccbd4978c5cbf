"""Fine-tune YAML: the seeds' hyper-parameter keys with their defaults; unknown keys are refused so typos never pass silently."""
from dataclasses import dataclass, field, fields

import yaml

SEED_TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
# Keys of the seeds' configs that describe data/prompt sourcing, handled by the bundle export instead.
IGNORED_KEYS = {"model_name", "dataset_name", "dataset_samples", "dataset_image_column", "dataset_label_colum",
                "dataset_label_column", "train_split_ratio", "label_mapping", "system_prompt", "user_prompt", "wandb_project"}


@dataclass
class TrainConfig:
    seed: int = 23
    max_seq_length: int = 2048
    learning_rate: float = 5e-4
    num_train_epochs: float = 1
    max_steps: int = -1
    batch_size: int = 1
    gradient_accumulation_steps: int = 16
    optim: str = "adamw_8bit"
    warmup_ratio: float = 0.1
    weight_decay: float = 0.01
    logging_steps: int = 10
    eval_steps: int = 100
    # Checkpoint every save_steps optimizer steps (None: eval_steps) and at the end; keep the newest save_total_limit.
    save_steps: object = None
    save_total_limit: int = 2
    use_peft: bool = True
    lora_r: int = 8
    lora_alpha: int = 16
    lora_dropout: float = 0.05
    lora_bias: str = "none"
    use_rslora: bool = False
    lora_target_modules: list = field(default_factory=lambda: list(SEED_TARGETS))
    # Also wrap the vision encoder's matching modules, as PEFT's suffix match does with the seeds' list.
    lora_vision: bool = True


def load_config(path) -> tuple:
    """Returns (TrainConfig, notes) from a YAML file; notes list ignored seed keys."""
    raw = yaml.safe_load(open(path)) or {} if path else {}
    if not isinstance(raw, dict):
        raise ValueError(f"{path}: expected a YAML mapping")
    known = {f.name: f for f in fields(TrainConfig)}
    kwargs, notes = {}, []
    for key, value in raw.items():
        if key in known:
            kwargs[key] = value
        elif key in IGNORED_KEYS:
            notes.append(f"config key {key!r} is taken from the bundle, ignored here")
        else:
            raise ValueError(f"{path}: unknown config key {key!r}; known: {', '.join(sorted(known))}")
    cfg = TrainConfig(**kwargs)
    cfg.learning_rate = float(cfg.learning_rate)  # YAML reads 5e-4 as a string
    cfg.weight_decay = float(cfg.weight_decay)
    if cfg.lora_bias not in ("none", "all", "lora_only"):
        raise ValueError(f"lora_bias must be none, all or lora_only, not {cfg.lora_bias!r}")
    if cfg.batch_size < 1 or cfg.gradient_accumulation_steps < 1:
        raise ValueError("batch_size and gradient_accumulation_steps must be ≥ 1")
    if cfg.save_steps is not None and (not isinstance(cfg.save_steps, int) or cfg.save_steps < 1):
        raise ValueError(f"save_steps must be a positive integer (or absent: eval_steps), not {cfg.save_steps!r}")
    if not isinstance(cfg.save_total_limit, int) or cfg.save_total_limit < 1:
        raise ValueError(f"save_total_limit must be an integer ≥ 1, not {cfg.save_total_limit!r}")
    if not cfg.use_peft:
        raise ValueError("use_peft: false (full fine-tuning) is not supported by this trainer; use LoRA")
    return cfg, notes
