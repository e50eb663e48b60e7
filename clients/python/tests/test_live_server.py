"""The Python clients against a live `reasonrl serve` (started here, on a free loopback port).

Needs: REASONRL_BIN (the reasonrl executable, e.g. src/ReasonRL.Cli/bin/Release/net10.0/reasonrl) and
REASONRL_TOKENIZER (../shared/data/tokenizer/qwen3-tokenizer.json.gz); torch for the reward manager
(Debian: python3-torch). .ci/run sets both and runs: python3 -m unittest discover -s clients/python/tests
"""

import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

from reasonrl_client import RewardClient, RewardServerError  # noqa: E402
from reasonrl_client import http, openrlhf, verl  # noqa: E402

PAD, EOS = "<|endoftext|>", "<|im_end|>"
PAD_ID, EOS_ID = 151643, 151645


def _required(name):
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"set {name} (see this file's docstring)")
    return value


class Server:
    """`reasonrl serve --port 0 ARGS`, stopped with SIGTERM."""

    def __init__(self, *args):
        self.process = subprocess.Popen([_required("REASONRL_BIN"), "serve", "--port", "0", "--tokenizer", _required("REASONRL_TOKENIZER"), *args],
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"listening on (http://127\.0\.0\.1:\d+)/", line)
        if not match:
            self.process.kill()
            raise RuntimeError(f"reasonrl serve did not start: {line!r}")
        self.url = match.group(1)

    def stop(self):
        self.process.terminate()
        return self.process.wait(timeout=30)


def setUpModule():
    global plain, shaped, vocab, config_dir
    config_dir = tempfile.TemporaryDirectory()
    config = os.path.join(config_dir.name, "reward.yaml")
    with open(config, "w", encoding="utf-8") as f:
        f.write("shaping: { kind: clip_delta, alpha: 1.0, eta: 0.5 }\n")
    plain = Server("--on-error", "-1")
    shaped = Server("--config", config)
    with gzip.open(_required("REASONRL_TOKENIZER")) as f:
        vocab = json.load(f)["model"]["vocab"]


def tearDownModule():
    assert plain.stop() == 0
    assert shaped.stop() == 0
    config_dir.cleanup()


# byte-level BPE pieces (Ġ = space, Ċ = newline) of "x=1\nSo 2 + 2 = 4\nThe answer is \boxed{4}", three steps
PIECES = ["x", "=", "1", "Ċ", "So", "Ġ", "2", "Ġ+", "Ġ", "2", "Ġ=", "Ġ", "4", "Ċ", "The", "Ġanswer", "Ġis", "Ġ\\", "boxed", "{", "4", "}"]
STEP_ENDS = [2, 12, 21]  # the token that ends each step


def response_ids():
    return [vocab[p] for p in PIECES] + [EOS_ID]


class OpenRlhfRewardFuncTests(unittest.TestCase):
    def setUp(self):
        os.environ["REASONRL_URL"] = plain.url
        http._default_client = None

    def test_reward_func_on_openrlhf_shaped_queries(self):
        prompts = [f"<|im_start|>user\nWhat is {i} + 1?<|im_end|>\n<|im_start|>assistant\n" for i in range(3)]
        queries = [PAD * 2 + prompts[0] + "\\boxed{1}" + EOS,          # correct, numeric label
                   prompts[1] + "\\boxed{7}" + EOS + PAD,               # wrong
                   "no prompt here \\boxed{3}" + EOS]                   # the prompt is not in the query
        answer = openrlhf.reward_func(queries, prompts, [1, "2", "3"])
        rewards = answer["rewards"]
        self.assertEqual([float(r) for r in rewards], [1.0, 0.0, -1.0])
        self.assertEqual([float(s) for s in answer["scores"]], [1.0, 0.0, -1.0])
        self.assertEqual([float(s) for s in answer["extra_logs"]["success"]], [1.0, 0.0, 0.0])

    def test_client_raises_on_4xx_without_retrying(self):
        client = RewardClient(plain.url, tries=5, retry_sleep=10.0)
        with self.assertRaises(RewardServerError) as caught:
            client.post("/get_reward", {"prompts": ["a"]})
        self.assertEqual(caught.exception.status, 400)
        self.assertIn("missing field 'query'", str(caught.exception))


class VerlTests(unittest.TestCase):
    def setUp(self):
        http._default_client = None

    def test_compute_score(self):
        os.environ["REASONRL_URL"] = plain.url
        self.assertEqual(verl.compute_score("gsm8k", "So 2 + 2 = 4\nThe answer is \\boxed{4}", "4")["score"], 1.0)
        self.assertEqual(verl.compute_score("gsm8k", "\\boxed{5}", 4)["score"], 0.0)

    def test_token_rewards_are_per_step(self):
        results = RewardClient(shaped.url).rewards([{"prompt": "q", "gold": "4", "step_scores": [0.9, 0.4, 0.7], "response_ids": response_ids()}])
        r = results[0]
        self.assertIsNone(r["error"])
        tokens = r["token_rewards"]
        self.assertEqual(len(tokens), len(PIECES) + 1)
        expected = [0.0] * len(tokens)
        for k, end in enumerate(STEP_ENDS):
            expected[end] += r["step_rewards"][k]
        expected[-1] += r["success"]
        self.assertEqual(tokens, expected)
        self.assertAlmostEqual(sum(tokens), r["total_return"], places=12)
        self.assertNotEqual(r["step_rewards"], [0.0, 0.0, 0.0])

    def test_reward_manager_writes_token_rewards_into_the_reward_tensor(self):
        import numpy as np
        import torch

        os.environ["REASONRL_URL"] = plain.url
        ids = response_ids()
        wrong = [vocab[p] for p in ["\\", "boxed", "{", "5", "}"]] + [EOS_ID]
        prompt_len, response_len = 6, len(ids) + 3
        prompts = torch.full((2, prompt_len), PAD_ID, dtype=torch.long)
        prompts[0, 2:] = torch.tensor([vocab[p] for p in ["What", "Ġis", "Ġ", "2"]])  # left padded
        prompts[1, 3:] = torch.tensor([vocab[p] for p in ["Ġ", "2", "?"]])
        responses = torch.full((2, response_len), PAD_ID, dtype=torch.long)     # right padded
        responses[0, :len(ids)] = torch.tensor(ids)
        responses[1, :len(wrong)] = torch.tensor(wrong)
        attention_mask = torch.cat([prompts != PAD_ID, responses != PAD_ID], dim=1).long()
        batch = FakeDataProto({"prompts": prompts, "responses": responses, "attention_mask": attention_mask},
                              {"reward_model": np.array([{"ground_truth": "4"}, {"ground_truth": "4"}], dtype=object)})
        out = verl.ReasonRLRewardManager(tokenizer=None)(batch, return_dict=True)
        tensor = out["reward_tensor"]
        self.assertEqual(tuple(tensor.shape), (2, response_len))
        self.assertEqual(tensor.dtype, torch.float32)
        row0 = [0.0] * response_len
        row0[len(ids) - 1] = 1.0   # success alone (no shaping configured): on the last valid token, as verl's own managers
        self.assertEqual(tensor[0].tolist(), row0)
        self.assertEqual(tensor[1].tolist(), [0.0] * response_len)  # wrong answer: 0 everywhere
        self.assertEqual(out["reward_extra_info"]["success"], [1.0, 0.0])


class FakeDataProto:
    """Stands in for verl's DataProto: .batch (tensors by key) and .non_tensor_batch (numpy object arrays)."""

    def __init__(self, batch, non_tensor_batch):
        self.batch = batch
        self.non_tensor_batch = non_tensor_batch

    def __len__(self):
        return len(self.batch["responses"])


if __name__ == "__main__":
    unittest.main()
