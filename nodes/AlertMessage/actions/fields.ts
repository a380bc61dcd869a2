/** The language every alert of this node is written in. */
import { languageField as languageFieldShownFor } from '../../shared/n8n/fields';

export const languageField = languageFieldShownFor();
