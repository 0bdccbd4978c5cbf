/** {{label_descriptions}} expansion for versioned prompts: fixed per version, so a run stores the expanded text and only {{labels}} stays per run. */

const DESCRIPTIONS_PLACEHOLDER = /\{\{\s*label_descriptions\s*\}\}/g;

/** "- label: description" per described label, in key order. */
export function expandLabelDescriptions(descriptions: Readonly<Record<string, string>>): string {
  return Object.entries(descriptions)
    .filter(([label, text]) => label.trim() !== '' && text.trim() !== '')
    .map(([label, text]) => `- ${label}: ${text.trim()}`)
    .join('\n');
}

/** The user template with every {{label_descriptions}} replaced; {{labels}} untouched. */
export function expandDescriptionsInTemplate(template: string, descriptions: Readonly<Record<string, string>>): string {
  const text = expandLabelDescriptions(descriptions);
  return template.replace(DESCRIPTIONS_PLACEHOLDER, () => text);
}

/** True when the template shows the label descriptions somewhere. */
export function usesLabelDescriptions(template: string): boolean {
  return new RegExp(DESCRIPTIONS_PLACEHOLDER.source).test(template);
}
