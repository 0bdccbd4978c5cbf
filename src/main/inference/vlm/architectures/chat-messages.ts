/** Chat-message shapes shared by architectures whose templates read the same structure. */
import { renderPrompt } from '../../../../shared/prompt-template';
import type { PromptSpec } from '../prompt-spec';
import type { ChatMessage } from './types';

/** [system], user = image + rendered text; content is always a list (SmolVLM's template drops plain strings). */
export function contentListMessages(prompt: PromptSpec): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (prompt.system && prompt.system.trim()) {
    messages.push({ role: 'system', content: [{ type: 'text', text: renderPrompt(prompt.system, prompt.labels) }] });
  }
  messages.push({ role: 'user', content: [{ type: 'image' }, { type: 'text', text: renderPrompt(prompt.user, prompt.labels) }] });
  return messages;
}
