"""OpenRLHF: ``--remote_rm_url /path/to/clients/python/openrlhf_reward_func.py`` (or this module's file).

OpenRLHF calls ``reward_func(queries, prompts, labels)`` in-process with the decoded sequences
(pads, chat template and EOS included); the server strips pad/EOS tokens and locates the prompt,
so the function only forwards. It returns OpenRLHF's dict form: ``rewards`` and ``scores`` as
float tensors and ``extra_logs`` (per-sample success, learned return, steps) as tensors.
Samples the server could not score get its ``--on-error`` reward; their indices and reasons are
printed (OpenRLHF logs only tensors).
"""

from .http import default_client

def reward_func(queries, prompts, labels, **kwargs):
    answer = default_client().get_reward(queries, prompts, labels)
    errors = answer.get("extra_logs", {}).get("errors", [])
    for e in errors:
        print(f"reasonrl: sample {e['index']} got the on_error reward: {e['reason']}")
    try:
        import torch
    except ImportError:  # outside a trainer (tests without torch): plain lists
        return answer
    logs = {k: torch.tensor(v, dtype=torch.float32) for k, v in answer.get("extra_logs", {}).items() if k != "errors"}
    rewards = torch.tensor(answer["rewards"], dtype=torch.float32)
    return {"rewards": rewards, "scores": torch.tensor(answer["scores"], dtype=torch.float32), "extra_logs": logs}
