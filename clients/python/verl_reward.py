"""The file to pass to verl: custom_reward_function.path=/path/to/clients/python/verl_reward.py
custom_reward_function.name=compute_score (set REASONRL_URL / REASONRL_TOKEN)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from reasonrl_client.verl import ReasonRLRewardManager, compute_score  # noqa: E402,F401
