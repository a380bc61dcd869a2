import { createRouter } from '../../shared/n8n/router';
import * as alert from './alert/Alert.resource';
import * as slack from './slack/Slack.resource';

export const router = createRouter({ resources: { alert: alert.operations, slack: slack.operations } });
