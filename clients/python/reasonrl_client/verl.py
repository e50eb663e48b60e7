"""verl: a ``compute_score`` function and a reward manager that places per-token rewards.

compute_score (custom_reward_function.path = .../clients/python/verl_reward.py, name = compute_score):
    one scalar per sample (the total return), sent as the native protocol with the decoded response.

ReasonRLRewardManager (reward_model.reward_manager = reasonrl, registered when verl is importable):
    sends each response's valid token ids (``response_ids``) with its prompt text and ground truth in one
    request per batch; the server decodes them with its --tokenizer (the policy's), splits steps, scores
    and shapes them, and returns ``token_rewards`` aligned with the ids: each step's shaped reward on the
    step's last token, success and the other outcome terms on the last token. The manager writes that
    vector into ``reward_tensor[i, :valid_response_length]``, so the tokens of step j see the return
    sum_{k>=j} r_k + outcome (with Delta shaping: the PRM's score of step j) instead of one scalar at the end.

A sample the server cannot score raises: a failure is never written as a reward of 0.
"""

from .http import default_client

def compute_score(data_source, solution_str, ground_truth, extra_info=None, **kwargs):
    result = default_client().rewards([{"prompt": "", "response": solution_str, "gold": _gold(ground_truth)}])[0]
    if result.get("error") is not None:
        raise RuntimeError(f"reasonrl serve could not score the sample: {result['error']}")
    return {
        "score": result["total_return"],
        "success": result["success"],
        "learned_return": result["learned_return"],
        "steps": len(result["steps"]),
    }


def _gold(value):
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        value = value[0] if value else None
        return None if value is None else str(value)
    return str(value)


def _item(value):
    return value.item() if hasattr(value, "item") else value


class ReasonRLRewardManager:
    """verl reward manager: ``__call__(data, return_dict=False)`` → reward tensor [batch, response_length]."""

    def __init__(self, tokenizer=None, num_examine=0, compute_score=None, reward_fn_key="data_source", client=None, **kwargs):
        self.tokenizer = tokenizer
        self.num_examine = num_examine
        self.reward_fn_key = reward_fn_key
        self.client = client or default_client()

    def __call__(self, data, return_dict=False):
        import torch

        prompts = data.batch["prompts"]
        responses = data.batch["responses"]
        attention_mask = data.batch["attention_mask"]
        prompt_length = prompts.shape[-1]
        reward_tensor = torch.zeros_like(responses, dtype=torch.float32)
        samples, lengths = [], []
        for i in range(len(responses)):
            valid_prompt = int(_item(attention_mask[i, :prompt_length].sum()))
            valid_response = int(_item(attention_mask[i, prompt_length:].sum()))
            prompt_ids = prompts[i, prompt_length - valid_prompt:].tolist()
            prompt_text = self.tokenizer.decode(prompt_ids, skip_special_tokens=False) if self.tokenizer is not None else ""
            ground_truth = data.non_tensor_batch["reward_model"][i]["ground_truth"]
            samples.append({"prompt": prompt_text, "gold": _gold(ground_truth), "response_ids": responses[i, :valid_response].tolist()})
            lengths.append(valid_response)
        results = self.client.rewards(samples) if samples else []
        extra = {"success": [], "learned_return": [], "steps": []}
        for i, (result, length) in enumerate(zip(results, lengths)):
            if result.get("error") is not None:
                raise RuntimeError(f"reasonrl serve could not score sample {i}: {result['error']}")
            token_rewards = result["token_rewards"]
            if len(token_rewards) != length:
                raise RuntimeError(f"sample {i}: {len(token_rewards)} token rewards for {length} response tokens")
            if length:
                reward_tensor[i, :length] = torch.tensor(token_rewards, dtype=torch.float32)
            extra["success"].append(result["success"])
            extra["learned_return"].append(result["learned_return"])
            extra["steps"].append(len(result["steps"]))
        if return_dict:
            return {"reward_tensor": reward_tensor, "reward_extra_info": extra}
        return reward_tensor


try:  # register with verl when it is installed (reward_model.reward_manager=reasonrl)
    from verl.workers.reward_manager import register as _register

    ReasonRLRewardManager = _register("reasonrl")(ReasonRLRewardManager)
except Exception:  # noqa: BLE001 - verl absent or without a registry: the class is still usable directly
    pass
