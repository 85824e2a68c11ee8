import assert from "node:assert/strict";
import { test } from "node:test";

import { applyWhileTyping, dropCompletion, LANGUAGES, LanguageEditorConfig, QUICK_SUGGESTIONS_OFF, TRIGGER_CHARACTER } from "../src/quickSuggestions";

/** User settings per language, as VS Code's language-specific `editor.quickSuggestions`. */
function userSettings(initial: Record<string, unknown> = {}) {
  const values: Record<string, unknown> = { ...initial };
  const configFor = (lang: string): LanguageEditorConfig => ({
    inspect: () => ({ globalLanguageValue: values[lang] }),
    update: async (key, value) => {
      assert.equal(key, "quickSuggestions");
      if (value === undefined) {
        delete values[lang];
      } else {
        values[lang] = value;
      }
    },
  });
  return { values, configFor };
}

test("switching completion while typing off writes 'off' for every served language", async () => {
  const s = userSettings();
  assert.deepEqual(await applyWhileTyping(false, s.configFor), LANGUAGES);
  for (const lang of LANGUAGES) {
    assert.deepEqual(s.values[lang], QUICK_SUGGESTIONS_OFF);
  }
  assert.deepEqual(await applyWhileTyping(false, s.configFor), [], "already off: nothing to write");
});

test("switching it on again removes only the values it wrote", async () => {
  const mine = { other: "inline", comments: "off", strings: "off" };
  const s = userSettings({ markdown: { ...QUICK_SUGGESTIONS_OFF }, plaintext: mine });
  assert.deepEqual(await applyWhileTyping(true, s.configFor), ["markdown"]);
  assert.equal(s.values.markdown, undefined);
  assert.deepEqual(s.values.plaintext, mine);
});

test("a user's own value is never overwritten when switching off", async () => {
  const s = userSettings({ prompt: { other: "on", comments: "on", strings: "on" } });
  await applyWhileTyping(false, s.configFor);
  assert.deepEqual(s.values.prompt, { other: "on", comments: "on", strings: "on" });
});

test("typed-space completions are dropped only when completion while typing is off", () => {
  assert.equal(dropCompletion(false, TRIGGER_CHARACTER), true);
  assert.equal(dropCompletion(true, TRIGGER_CHARACTER), false);
  assert.equal(dropCompletion(false, 0), false, "Ctrl+Space always works");
});
