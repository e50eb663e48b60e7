// Renders the chat-template fixtures of tests/ReasonRL.Text.Tests with @huggingface/jinja (the Jinja
// renderer transformers.js uses), so that the C# renderer is checked against an independent one.
// Run by hand after changing a template or a conversation (never at test time):
//   cd tools/chat-templates && npm ci && node render-fixtures.mjs
// Inputs:  ../../../shared/data/tokenizer/qwen3-tokenizer_config.json (the real Qwen3 template, read
//          in place), templates/*.jinja (written here in the documented formats), conversations.json.
// Outputs: tests/Fixtures/chat-templates/<name>/tokenizer_config.json (the written templates as a
//          model folder ships them; smollm3 uses the named-list form of chat_template) and
//          tests/Fixtures/chat-templates/expected.json (every template × conversation ×
//          add_generation_prompt × variant, with the rendered text or the template's error), and
//          tests/Fixtures/chat-templates/snippets.json (snippets.json: one Jinja construct each).
import { Template } from "@huggingface/jinja";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, "..", "..");
const shared = process.env.REASONRL_SHARED ?? join(repo, "..", "shared");
const out = join(repo, "tests", "Fixtures", "chat-templates");

const written = {
  "qwen2.5": { bos_token: null, eos_token: "<|im_end|>", pad_token: "<|endoftext|>", named: false },
  "llama3": { bos_token: "<|begin_of_text|>", eos_token: "<|eot_id|>", pad_token: null, named: false },
  "smollm3": { bos_token: null, eos_token: "<|im_end|>", pad_token: "<|im_end|>", named: true },
};

// name → { text, specialTokens }, as a model folder gives them.
const templates = {};
const tokenName = (v) => (v && typeof v === "object" ? v.content ?? null : v ?? null);
const specialTokens = (config) => {
  const tokens = {};
  for (const key of ["bos_token", "eos_token", "pad_token", "unk_token"]) {
    const value = tokenName(config[key]);
    if (value !== null) tokens[key] = value;
  }
  return tokens;
};
const qwen3 = JSON.parse(readFileSync(join(shared, "data", "tokenizer", "qwen3-tokenizer_config.json"), "utf8"));
templates["qwen3"] = { text: qwen3.chat_template, specialTokens: specialTokens(qwen3) };
for (const [name, tokens] of Object.entries(written)) {
  const text = readFileSync(join(here, "templates", `${name}.jinja`), "utf8");
  const { named, ...tokenFields } = tokens;
  const config = { ...tokenFields, chat_template: named ? [{ name: "default", template: text }] : text };
  mkdirSync(join(out, name), { recursive: true });
  writeFileSync(join(out, name, "tokenizer_config.json"), JSON.stringify(config, null, 2) + "\n");
  templates[name] = { text, specialTokens: specialTokens(config) };
}

const spec = JSON.parse(readFileSync(join(here, "conversations.json"), "utf8"));
const cases = [];
for (const [name, { variants }] of Object.entries(spec.templates)) {
  const template = new Template(templates[name].text);
  for (const conversation of spec.conversations) {
    if (conversation.only && !conversation.only.includes(name)) continue;
    for (const addGenerationPrompt of [false, true]) {
      for (const variant of variants) {
        const variables = { messages: conversation.messages, add_generation_prompt: addGenerationPrompt, ...(conversation.variables ?? {}), ...variant };
        const id = [name, conversation.name, addGenerationPrompt ? "gen" : "nogen", ...Object.entries(variant).map(([k, v]) => `${k}=${v}`)].join("/");
        const result = { id, template: name, variables };
        try {
          result.expected = template.render({ ...templates[name].specialTokens, ...variables });
        } catch (error) {
          result.error = error.message;
        }
        cases.push(result);
      }
    }
  }
}
const version = JSON.parse(readFileSync(join(here, "node_modules", "@huggingface", "jinja", "package.json"), "utf8")).version;
writeFileSync(join(out, "expected.json"), JSON.stringify({
  generator: `tools/chat-templates/render-fixtures.mjs, @huggingface/jinja ${version}`,
  templates: { qwen3: "shared/data/tokenizer/qwen3-tokenizer_config.json", ...Object.fromEntries(Object.keys(written).map((n) => [n, `tests/Fixtures/chat-templates/${n}/tokenizer_config.json`])) },
  cases,
}, null, 1) + "\n");
// One construct per snippet (snippets.json), rendered with no special tokens.
const snippetSpec = JSON.parse(readFileSync(join(here, "snippets.json"), "utf8"));
const snippets = snippetSpec.snippets.map(({ name, template, variables = {} }) => {
  const result = { name, template, variables };
  try {
    result.expected = new Template(template).render(variables);
  } catch (error) {
    result.error = error.message;
  }
  return result;
});
writeFileSync(join(out, "snippets.json"), JSON.stringify({ generator: `tools/chat-templates/render-fixtures.mjs, @huggingface/jinja ${version}`, snippets }, null, 1) + "\n");
console.log(`${snippets.length} snippets (${snippets.filter((c) => c.error).length} expected errors) → ${join(out, "snippets.json")}`);
console.log(`${cases.length} cases (${cases.filter((c) => c.error).length} expected errors) → ${join(out, "expected.json")}`);
