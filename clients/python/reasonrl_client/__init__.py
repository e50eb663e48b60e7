"""Python clients for `reasonrl serve` (standard library only for HTTP).

* ``reasonrl_client.http.RewardClient``: POSTs to /get_reward and /v1/rewards with retries.
* ``reasonrl_client.openrlhf.reward_func``: OpenRLHF's ``--remote_rm_url file.py`` function.
* ``reasonrl_client.verl.compute_score``: verl's ``custom_reward_function``.
* ``reasonrl_client.verl.ReasonRLRewardManager``: a verl reward manager that writes the server's
  per-token rewards (per-step Clip/Delta shaping) into verl's reward tensor (needs torch).
"""

from .http import RewardClient, RewardServerError

__all__ = ["RewardClient", "RewardServerError"]
