/** What every provider keeps from its configuration: the checked settings, the model, and the secrets its messages mask. */
import { validateProviderConfig, type LlmProviderConfig, type LlmProviderName } from './types';

export abstract class ConfiguredProvider {
	readonly model: string;
	protected readonly config: LlmProviderConfig;
	/** The key as given and as trimmed: either could appear in a message. */
	protected readonly secrets: string[];

	protected constructor(raw: LlmProviderConfig, name: LlmProviderName) {
		this.config = validateProviderConfig(raw, name);
		this.model = this.config.model;
		this.secrets = [...new Set([raw.apiKey, this.config.apiKey])];
	}
}
