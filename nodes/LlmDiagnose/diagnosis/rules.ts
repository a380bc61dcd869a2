/**
 * The rule-based diagnosis: a fixed table keyed by cause code, with family (prefix)
 * and generic fallbacks, so a diagnosis is always available without any LLM. Every
 * action comes from ACTIONS_BY_COMPONENT for the diagnosed component; confidence says
 * how specific the matched rule was (exact code 0.6, family 0.4, generic 0.2).
 */
import {
	ACTIONS_BY_COMPONENT,
	SEVERITIES,
	type ActionId,
	type Cause,
	type CheckResult,
	type Component,
	type Diagnosis,
	type Severity,
} from '../../shared/contract';
import { redact } from '../../shared/redact';
import { causeToDiagnose } from './fingerprint';

export type DiagnosisLanguage = 'es' | 'en';
export const DIAGNOSIS_LANGUAGES: readonly DiagnosisLanguage[] = ['es', 'en'];

export type RuleDiagnosis = Omit<Diagnosis, 'latencyMs' | 'fingerprint' | 'source'>;

interface Texts {
	rootCause: string;
	summary: string;
}

/** Actions for one component, or `any` for every component; missing: the component's default. */
type ActionPlan = Partial<Record<Component | 'any', readonly ActionId[]>>;

interface Rule {
	en: Texts;
	es: Texts;
	actions?: ActionPlan;
	/** Overrides of the default severity (down: high, degraded: medium); down is never below high. */
	severity?: { down?: Severity; degraded?: Severity };
}

export const RULE_CONFIDENCE = { exact: 0.6, family: 0.4, generic: 0.2 } as const;

/** What to try when a rule names no action for the component: its usual first repair. */
const COMPONENT_DEFAULT_ACTIONS: Record<Component, readonly ActionId[]> = {
	whatsapp: ['whatsapp.reconnect', 'notify.escalate'],
	database: ['database.reconnect', 'notify.escalate'],
	payments: ['payments.use_fallback', 'notify.escalate'],
	llm: ['llm.use_fallback'],
	backup: ['backup.run', 'notify.escalate'],
	logs: ['logs.archive', 'notify.escalate'],
	host: ['notify.escalate'],
};

const ESCALATE: ActionPlan = { any: ['notify.escalate'] };
/** A person must act, but a payment or LLM fallback keeps the bot working meanwhile. */
const ESCALATE_OR_FALLBACK: ActionPlan = {
	any: ['notify.escalate'],
	payments: ['notify.escalate', 'payments.use_fallback'],
	llm: ['notify.escalate', 'llm.use_fallback'],
};

function rule(en: [string, string], es: [string, string], extra: Omit<Rule, 'en' | 'es'> = {}): Rule {
	return { en: { rootCause: en[0], summary: en[1] }, es: { rootCause: es[0], summary: es[1] }, ...extra };
}

const EXACT_RULES: Record<string, Rule> = {
	// ------------------------------------------------------------ network
	'net.timeout': rule(
		['The service did not answer within the timeout.', 'The dependency is slow or hung; reconnect or switch to the fallback, and tell a person if it persists.'],
		['El servicio no respondió dentro del tiempo límite.', 'La dependencia está lenta o colgada; reconectar o pasar al respaldo, y avisar a una persona si continúa.'],
	),
	'net.unreachable': rule(
		['The service could not be reached (connection refused or host not found).', 'The server is down or the address is wrong; reconnect or switch to the fallback, and tell a person if it persists.'],
		['No se pudo conectar con el servicio (conexión rechazada o host no encontrado).', 'El servidor está caído o la dirección es incorrecta; reconectar o pasar al respaldo, y avisar a una persona si continúa.'],
	),
	'net.reset': rule(
		['The connection was dropped in the middle of a request.', 'The network or the server cut the connection; reconnecting usually fixes it.'],
		['La conexión se cortó a mitad de una petición.', 'La red o el servidor cortaron la conexión; reconectar suele resolverlo.'],
	),
	// ------------------------------------------------------------ auth
	'auth.invalid_credentials': rule(
		['The credentials were rejected (wrong, expired or revoked key, token or password).', 'A person must update the credential in n8n; no automatic action can fix it.'],
		['Las credenciales fueron rechazadas (clave, token o contraseña incorrecta, vencida o revocada).', 'Una persona debe actualizar la credencial en n8n; ninguna acción automática puede resolverlo.'],
		{ actions: ESCALATE_OR_FALLBACK },
	),
	'auth.forbidden': rule(
		['The credentials are valid but lack permission for this operation.', 'A person must grant the permission or use another credential.'],
		['Las credenciales son válidas pero no tienen permiso para esta operación.', 'Una persona debe otorgar el permiso o usar otra credencial.'],
		{ actions: ESCALATE_OR_FALLBACK },
	),
	// ------------------------------------------------------------ provider
	'provider.rate_limited': rule(
		['The provider is rate limiting the requests.', 'Requests are being throttled; wait or switch to the fallback provider.'],
		['El proveedor está limitando la cantidad de peticiones.', 'Las peticiones están siendo limitadas; esperar o pasar al proveedor de respaldo.'],
		{ actions: { any: ['notify.escalate'], payments: ['payments.use_fallback', 'notify.escalate'], llm: ['llm.use_fallback'] } },
	),
	'provider.server_error': rule(
		['The provider answered with a server error.', 'The problem is on the provider side; retry later or switch to the fallback.'],
		['El proveedor respondió con un error del servidor.', 'El problema está del lado del proveedor; reintentar más tarde o pasar al respaldo.'],
	),
	'provider.malformed_response': rule(
		['The provider answered with something other than its usual response.', 'A proxy, an outage page or an API change is likely; retry later or switch to the fallback.'],
		['El proveedor respondió algo distinto de su respuesta habitual.', 'Probablemente un proxy, una página de error o un cambio de API; reintentar más tarde o pasar al respaldo.'],
	),
	'provider.bad_request': rule(
		['The provider rejected the request as invalid.', 'A setting is wrong or the provider changed its API; a person must review the configuration.'],
		['El proveedor rechazó la petición por inválida.', 'Hay un ajuste incorrecto o el proveedor cambió su API; una persona debe revisar la configuración.'],
		{ actions: ESCALATE_OR_FALLBACK },
	),
	'provider.not_found': rule(
		['The provider does not know the requested resource.', 'A configured id is wrong or the resource was deleted; a person must review the configuration.'],
		['El proveedor no conoce el recurso pedido.', 'Un identificador configurado es incorrecto o el recurso fue borrado; una persona debe revisar la configuración.'],
		{ actions: ESCALATE_OR_FALLBACK },
	),
	// ------------------------------------------------------------ config
	'config.missing': rule(
		['A required setting is missing in the node or its credential.', 'A person must complete the configuration.'],
		['Falta un ajuste obligatorio en el nodo o en su credencial.', 'Una persona debe completar la configuración.'],
		{ actions: ESCALATE },
	),
	'config.invalid': rule(
		['A setting is invalid (for example a database, table or column that does not exist).', 'A person must correct the configuration.'],
		['Un ajuste es inválido (por ejemplo una base, tabla o columna que no existe).', 'Una persona debe corregir la configuración.'],
		{ actions: ESCALATE },
	),
	'config.unknown_instance': rule(
		['The configured Evolution instance does not exist on the server.', 'A person must create the instance or correct its name.'],
		['La instancia de Evolution configurada no existe en el servidor.', 'Una persona debe crear la instancia o corregir su nombre.'],
		{ actions: ESCALATE },
	),
	'config.unknown_session': rule(
		['The configured WAHA session does not exist on the server.', 'A person must create the session or correct its name.'],
		['La sesión de WAHA configurada no existe en el servidor.', 'Una persona debe crear la sesión o corregir su nombre.'],
		{ actions: ESCALATE },
	),
	'config.unknown_phone_number': rule(
		['The configured Cloud API phone number id does not exist for this account.', 'A person must correct the phone number id or the access token.'],
		['El id de número de teléfono de Cloud API configurado no existe para esta cuenta.', 'Una persona debe corregir el id del número o el token de acceso.'],
		{ actions: ESCALATE },
	),
	// ------------------------------------------------------------ whatsapp
	'whatsapp.disconnected': rule(
		['The WhatsApp session is disconnected.', 'The bot cannot send or receive messages; reconnect first, and relink with a new QR if that fails.'],
		['La sesión de WhatsApp está desconectada.', 'El bot no puede enviar ni recibir mensajes; reconectar primero y, si falla, vincular de nuevo con un QR nuevo.'],
		{ actions: { any: ['whatsapp.reconnect', 'whatsapp.relink', 'notify.escalate'] }, severity: { down: 'critical' } },
	),
	'whatsapp.qr_required': rule(
		['The WhatsApp session is waiting for a QR scan to link the phone.', 'A person must scan the QR (or enter the pairing code) with the bot’s phone.'],
		['La sesión de WhatsApp espera que se escanee un QR para vincular el teléfono.', 'Una persona debe escanear el QR (o ingresar el código de vinculación) con el teléfono del bot.'],
		{ actions: { any: ['whatsapp.relink', 'notify.escalate'] }, severity: { down: 'critical' } },
	),
	'whatsapp.connecting': rule(
		['The WhatsApp session is still connecting.', 'The handshake usually finishes by itself; reconnect if it stays like this.'],
		['La sesión de WhatsApp todavía se está conectando.', 'La conexión suele completarse sola; reconectar si sigue así.'],
		{ actions: { any: ['whatsapp.reconnect', 'notify.escalate'] } },
	),
	'whatsapp.starting': rule(
		['The WhatsApp session is starting.', 'It usually comes up within seconds; reconnect if it stays like this.'],
		['La sesión de WhatsApp está iniciando.', 'Suele estar lista en segundos; reconectar si sigue así.'],
		{ actions: { any: ['whatsapp.reconnect', 'notify.escalate'] } },
	),
	'whatsapp.instance_not_loaded': rule(
		['The WhatsApp instance exists but is not loaded on the server.', 'Restart the instance; relink it with a new QR if that fails.'],
		['La instancia de WhatsApp existe pero no está cargada en el servidor.', 'Reiniciar la instancia y, si falla, vincularla de nuevo con un QR nuevo.'],
		{ actions: { any: ['whatsapp.reconnect', 'whatsapp.relink', 'notify.escalate'] } },
	),
	'whatsapp.qr_limit_reached': rule(
		['The QR code expired too many times without being scanned.', 'A person must be ready to scan a new QR right after relinking.'],
		['El código QR venció demasiadas veces sin ser escaneado.', 'Una persona debe estar lista para escanear el QR nuevo apenas se vuelva a vincular.'],
		{ actions: { any: ['whatsapp.relink', 'notify.escalate'] }, severity: { down: 'critical' } },
	),
	'whatsapp.qr_not_ready': rule(
		['The QR code is not generated yet.', 'It usually appears within seconds; reconnect if it does not.'],
		['El código QR todavía no se generó.', 'Suele aparecer en segundos; reconectar si no aparece.'],
		{ actions: { any: ['whatsapp.reconnect', 'notify.escalate'] } },
	),
	'whatsapp.unknown_state': rule(
		['The WhatsApp gateway reports a connection state this package does not know.', 'A person should look at the gateway before automation acts on it.'],
		['El gateway de WhatsApp informa un estado de conexión desconocido para este paquete.', 'Una persona debería revisar el gateway antes de que la automatización actúe.'],
		{ actions: ESCALATE },
	),
	'whatsapp.unknown_status': rule(
		['The WhatsApp gateway reports a session status this package does not know.', 'A person should look at the gateway before automation acts on it.'],
		['El gateway de WhatsApp informa un estado de sesión desconocido para este paquete.', 'Una persona debería revisar el gateway antes de que la automatización actúe.'],
		{ actions: ESCALATE },
	),
	'whatsapp.recipient_not_on_whatsapp': rule(
		['The recipient number has no WhatsApp account.', 'Only this recipient is affected; check the number.'],
		['El número del destinatario no tiene cuenta de WhatsApp.', 'Solo afecta a este destinatario; revisar el número.'],
		{ actions: ESCALATE, severity: { degraded: 'low' } },
	),
	'whatsapp.recipient_undeliverable': rule(
		['Messages to this recipient cannot be delivered.', 'Only this recipient is affected; check the number or the user’s settings.'],
		['Los mensajes a este destinatario no se pueden entregar.', 'Solo afecta a este destinatario; revisar el número o la configuración del usuario.'],
		{ actions: ESCALATE, severity: { degraded: 'low' } },
	),
	'whatsapp.number_not_registered': rule(
		['The phone number is not registered with the WhatsApp Cloud API.', 'Re-register the number with its two-step PIN; a person must do it if no PIN is configured.'],
		['El número de teléfono no está registrado en la API de WhatsApp Cloud.', 'Volver a registrar el número con su PIN de dos pasos; si no hay PIN configurado debe hacerlo una persona.'],
		{ actions: { any: ['whatsapp.register', 'notify.escalate'] }, severity: { down: 'critical' } },
	),
	'whatsapp.number_not_verified': rule(
		['The phone number has not been verified.', 'A person must verify the number in Meta’s business settings.'],
		['El número de teléfono no fue verificado.', 'Una persona debe verificar el número en la configuración de Meta Business.'],
		{ actions: ESCALATE },
	),
	'whatsapp.number_flagged': rule(
		['Meta flagged the number for low message quality.', 'A person must review what the bot sends before the number gets restricted.'],
		['Meta marcó el número por baja calidad de mensajes.', 'Una persona debe revisar lo que envía el bot antes de que el número sea restringido.'],
		{ actions: ESCALATE },
	),
	'whatsapp.number_restricted': rule(
		['Meta restricted the number’s messaging.', 'A person must review the restriction in Meta’s business settings.'],
		['Meta restringió el envío de mensajes del número.', 'Una persona debe revisar la restricción en la configuración de Meta Business.'],
		{ actions: ESCALATE },
	),
	'whatsapp.number_banned': rule(
		['Meta banned the phone number.', 'The bot cannot use this number; a person must appeal or move to another number.'],
		['Meta bloqueó el número de teléfono.', 'El bot no puede usar este número; una persona debe apelar o pasar a otro número.'],
		{ actions: ESCALATE, severity: { down: 'critical' } },
	),
	'whatsapp.number_migrated': rule(
		['The phone number was migrated to another account.', 'A person must update the phone number id and token to the new account.'],
		['El número de teléfono fue migrado a otra cuenta.', 'Una persona debe actualizar el id del número y el token de la cuenta nueva.'],
		{ actions: ESCALATE },
	),
	'whatsapp.quality_yellow': rule(
		['The number’s quality rating dropped to yellow.', 'Users are blocking or reporting messages; a person should review what the bot sends.'],
		['La calificación de calidad del número bajó a amarillo.', 'Los usuarios están bloqueando o denunciando mensajes; una persona debería revisar lo que envía el bot.'],
		{ actions: ESCALATE },
	),
	'whatsapp.quality_red': rule(
		['The number’s quality rating is red.', 'The number is close to being restricted; a person must review what the bot sends now.'],
		['La calificación de calidad del número está en rojo.', 'El número está cerca de ser restringido; una persona debe revisar ya lo que envía el bot.'],
		{ actions: ESCALATE, severity: { degraded: 'high' } },
	),
	'whatsapp.send_blocked': rule(
		['Meta blocks sending from this number.', 'A person must check the account status in Meta’s business settings.'],
		['Meta bloquea los envíos desde este número.', 'Una persona debe revisar el estado de la cuenta en la configuración de Meta Business.'],
		{ actions: ESCALATE, severity: { down: 'critical' } },
	),
	'whatsapp.send_limited': rule(
		['The number reached its messaging limit.', 'New conversations wait until the limit resets; a person can ask Meta for a higher tier.'],
		['El número alcanzó su límite de mensajes.', 'Las conversaciones nuevas esperan hasta que se renueve el límite; una persona puede pedir a Meta un nivel mayor.'],
		{ actions: ESCALATE },
	),
	'whatsapp.reengagement_required': rule(
		['The 24-hour customer service window is closed for this user.', 'Only a template message can reach this user now.'],
		['La ventana de atención de 24 horas está cerrada para este usuario.', 'Ahora solo un mensaje de plantilla puede llegar a este usuario.'],
		{ actions: ESCALATE, severity: { degraded: 'low' } },
	),
	'whatsapp.policy_blocked': rule(
		['Meta blocked a message for a policy reason.', 'A person must review the message content against WhatsApp’s policies.'],
		['Meta bloqueó un mensaje por una razón de políticas.', 'Una persona debe revisar el contenido del mensaje según las políticas de WhatsApp.'],
		{ actions: ESCALATE },
	),
	'whatsapp.pin_mismatch': rule(
		['The two-step verification PIN does not match the number.', 'A person must correct the PIN in the credential.'],
		['El PIN de verificación en dos pasos no coincide con el número.', 'Una persona debe corregir el PIN en la credencial.'],
		{ actions: ESCALATE },
	),
	// ------------------------------------------------------------ whatsapp: the customer's path (conversation canary, passive check)
	'whatsapp.canary_broken': rule(
		['The canary number cannot send its test message; the bot was not checked.', 'A person must reconnect or relink the canary number; nothing is done to the bot.'],
		['El número canario no puede enviar su mensaje de prueba; el bot no se comprobó.', 'Una persona debe reconectar o volver a vincular el número canario; no se toca el bot.'],
		{ actions: ESCALATE },
	),
	'whatsapp.inbound_not_delivered': rule(
		['Messages sent to the bot never reach its WhatsApp gateway, although it reports itself connected.', 'Customers’ messages are lost; restart the session first, and relink with a new QR if that fails.'],
		['Los mensajes enviados al bot nunca llegan a su gateway de WhatsApp, aunque figura conectado.', 'Se pierden los mensajes de los clientes; reiniciar la sesión primero y, si falla, vincular de nuevo con un QR nuevo.'],
		{ actions: { any: ['whatsapp.reconnect', 'whatsapp.relink', 'notify.escalate'] }, severity: { down: 'critical' } },
	),
	'whatsapp.bot_silent': rule(
		['The bot receives customers’ messages but does not answer them.', 'WhatsApp works; the bot’s workflow or its AI is failing. A person must check the bot; do not reconnect WhatsApp.'],
		['El bot recibe los mensajes de los clientes pero no los responde.', 'WhatsApp funciona; falla el flujo del bot o su IA. Una persona debe revisar el bot; no reconectar WhatsApp.'],
		{ actions: ESCALATE, severity: { down: 'critical' } },
	),
	'whatsapp.no_reply': rule(
		['The bot did not answer a test message, and whether it received it is unknown.', 'A person must check both the bot’s WhatsApp number and the bot itself.'],
		['El bot no respondió un mensaje de prueba y no se sabe si lo recibió.', 'Una persona debe revisar tanto el número de WhatsApp del bot como el bot mismo.'],
		{ actions: ESCALATE },
	),
	'whatsapp.reply_slow': rule(
		['The bot answers customers slowly.', 'The bot’s workflow or its AI is slow; it usually passes, tell a person if it persists.'],
		['El bot responde lento a los clientes.', 'El flujo del bot o su IA están lentos; suele pasar solo, avisar a una persona si continúa.'],
		{ actions: ESCALATE, severity: { degraded: 'low' } },
	),
	'whatsapp.reply_mismatch': rule(
		['The bot answers, but not with the expected reply.', 'It may be answering with an error message; a person must check the bot or the expected reply pattern.'],
		['El bot responde, pero no con la respuesta esperada.', 'Puede estar respondiendo con un mensaje de error; una persona debe revisar el bot o el patrón de respuesta esperado.'],
		{ actions: ESCALATE },
	),
	'whatsapp.outbound_missing': rule(
		['A reply came from the bot’s number, but its gateway did not send it.', 'Someone answered from the phone or another device, or the gateway does not store sent messages; a person should check.'],
		['Llegó una respuesta desde el número del bot, pero su gateway no la envió.', 'Alguien respondió desde el teléfono u otro dispositivo, o el gateway no guarda los mensajes enviados; una persona debería revisarlo.'],
		{ actions: ESCALATE },
	),
	'whatsapp.inbound_silent': rule(
		['The bot has received no messages for much longer than usual at this time of the week.', 'The session may be deaf although it reports itself connected; restart it, and tell a person if messages do not come back.'],
		['El bot no recibe mensajes hace mucho más de lo habitual para este momento de la semana.', 'La sesión puede estar sorda aunque figure conectada; reiniciarla y avisar a una persona si los mensajes no vuelven.'],
		{ actions: { any: ['whatsapp.reconnect', 'notify.escalate'] } },
	),
	'whatsapp.inbound_unanswered': rule(
		['Customers’ messages reach the bot’s WhatsApp, but the bot answers none of them.', 'WhatsApp receives; the bot’s workflow, its AI or its webhook is failing. A person must check the bot; do not reconnect WhatsApp.'],
		['Los mensajes de los clientes llegan al WhatsApp del bot, pero el bot no responde a ninguno.', 'WhatsApp recibe; falla el flujo del bot, su IA o su webhook. Una persona debe revisar el bot; no reconectar WhatsApp.'],
		{ actions: ESCALATE, severity: { down: 'critical' } },
	),
	// ------------------------------------------------------------ whatsapp: webhook integrity
	// whatsapp.restore_webhook puts the expected webhook back (WhatsApp Probe Recover, "Webhook"), then re-checks it.
	'whatsapp.webhook_missing': rule(
		['The WhatsApp gateway no longer sends customers’ messages to the bot (its webhook is gone).', 'The bot is deaf although WhatsApp reports connected; restore the webhook configuration.'],
		['El gateway de WhatsApp ya no envía los mensajes de los clientes al bot (su webhook desapareció).', 'El bot está sordo aunque WhatsApp figure conectado; restaurar la configuración del webhook.'],
		{ actions: { any: ['whatsapp.restore_webhook', 'notify.escalate'] }, severity: { down: 'critical' } },
	),
	'whatsapp.webhook_mismatch': rule(
		['The WhatsApp gateway’s webhook differs from the expected one (disabled, another URL, missing events or header).', 'Customers’ messages may not reach the bot; restore the webhook configuration.'],
		['El webhook del gateway de WhatsApp difiere del esperado (desactivado, otra URL, faltan eventos o un encabezado).', 'Los mensajes de los clientes pueden no llegar al bot; restaurar la configuración del webhook.'],
		{ actions: { any: ['whatsapp.restore_webhook', 'notify.escalate'] } },
	),
	// ------------------------------------------------------------ database
	'database.catalog_empty': rule(
		['The products table is empty.', 'The bot has nothing to sell; import the catalog from the configured source.'],
		['La tabla de productos está vacía.', 'El bot no tiene nada para vender; importar el catálogo desde la fuente configurada.'],
		{ actions: { any: ['database.import_catalog', 'notify.escalate'] }, severity: { down: 'critical' } },
	),
	'database.products_without_images': rule(
		['Some products have no image.', 'Product cards show without pictures; restore the images from the configured source.'],
		['Algunos productos no tienen imagen.', 'Las fichas de productos se ven sin foto; restaurar las imágenes desde la fuente configurada.'],
		{ actions: { any: ['database.restore_images'] } },
	),
	'database.duplicate_skus': rule(
		['Several products share the same SKU.', 'The bot may show or charge the wrong product; a person must merge or correct them.'],
		['Varios productos comparten el mismo SKU.', 'El bot puede mostrar o cobrar el producto equivocado; una persona debe unificarlos o corregirlos.'],
		{ actions: ESCALATE },
	),
	'database.orphan_rows': rule(
		['Some rows point to records that do not exist.', 'For example products of a deleted category; a person must fix or remove them.'],
		['Algunas filas apuntan a registros que no existen.', 'Por ejemplo productos de una categoría borrada; una persona debe corregirlas o eliminarlas.'],
		{ actions: ESCALATE },
	),
	'database.invalid_prices': rule(
		['Some products have a missing, zero or negative price.', 'Customers may be quoted a wrong price; a person must correct the prices.'],
		['Algunos productos tienen un precio faltante, cero o negativo.', 'Se pueden cotizar precios incorrectos; una persona debe corregir los precios.'],
		{ actions: ESCALATE },
	),
	'database.custom_check_failed': rule(
		['A custom integrity check configured for this database failed.', 'A person must look at the rows the check found.'],
		['Falló un control de integridad personalizado configurado para esta base.', 'Una persona debe revisar las filas que encontró el control.'],
		{ actions: ESCALATE },
	),
	'database.schema_mismatch': rule(
		['A configured table or column does not exist.', 'A setting is wrong or a migration is pending; a person must fix it.'],
		['Una tabla o columna configurada no existe.', 'Hay un ajuste incorrecto o una migración pendiente; una persona debe corregirlo.'],
		{ actions: ESCALATE },
	),
	'database.read_only': rule(
		['The database accepts reads only (a replica, a failover or a read-only setting).', 'Reconnect to reach the primary; a person must look if writes stay refused.'],
		['La base solo acepta lecturas (una réplica, un failover o un ajuste de solo lectura).', 'Reconectar para llegar al primario; una persona debe revisar si las escrituras siguen rechazadas.'],
		{ actions: { any: ['database.reconnect', 'notify.escalate'] } },
	),
	'database.too_many_connections': rule(
		['The database has no free connections.', 'Something holds too many connections; reconnect, and tell a person if it persists.'],
		['La base no tiene conexiones libres.', 'Algo retiene demasiadas conexiones; reconectar y avisar a una persona si continúa.'],
		{ actions: { any: ['database.reconnect', 'notify.escalate'] } },
	),
	'database.unavailable': rule(
		['The database server is shutting down or starting up.', 'It is usually back within moments; reconnect.'],
		['El servidor de base de datos se está apagando o iniciando.', 'Suele volver en instantes; reconectar.'],
		{ actions: { any: ['database.reconnect', 'notify.escalate'] } },
	),
	'database.error': rule(
		['The database returned an unexpected error.', 'A person must look at the database logs.'],
		['La base de datos devolvió un error inesperado.', 'Una persona debe revisar los registros de la base.'],
		{ actions: ESCALATE },
	),
	'database.repair_source_unreadable': rule(
		['The source to repair the catalog from cannot be read (missing, unreadable or too large).', 'A person must fix the configured repair source; nothing was changed.'],
		['La fuente para reparar el catálogo no se puede leer (falta, no es legible o es demasiado grande).', 'Una persona debe corregir la fuente de reparación configurada; no se cambió nada.'],
		{ actions: ESCALATE },
	),
	'database.repair_source_invalid': rule(
		['The source to repair the catalog from is not in the declared format or lacks the configured fields.', 'A person must fix the configured repair source; nothing was changed.'],
		['La fuente para reparar el catálogo no tiene el formato declarado o le faltan los campos configurados.', 'Una persona debe corregir la fuente de reparación configurada; no se cambió nada.'],
		{ actions: ESCALATE },
	),
	// ------------------------------------------------------------ payments
	'payments.sandbox_token_in_production': rule(
		['A sandbox (test) payment token is configured in production.', 'Customers cannot pay for real; a person must set the production token. Use the fallback provider meanwhile.'],
		['Hay un token de pagos de prueba (sandbox) configurado en producción.', 'Los clientes no pueden pagar de verdad; una persona debe poner el token de producción. Mientras tanto usar el proveedor de respaldo.'],
		{ severity: { down: 'critical' } },
	),
	'payments.production_token_in_sandbox': rule(
		['A production payment token is configured in the sandbox environment.', 'Tests would create real charges; a person must set the sandbox token.'],
		['Hay un token de pagos de producción configurado en el entorno de prueba.', 'Las pruebas generarían cobros reales; una persona debe poner el token de prueba.'],
	),
	'payments.test_user_in_production': rule(
		['The production payment account is a test user.', 'Customers cannot pay for real; a person must use the real seller account. Use the fallback provider meanwhile.'],
		['La cuenta de pagos de producción es un usuario de prueba.', 'Los clientes no pueden pagar de verdad; una persona debe usar la cuenta real del vendedor. Mientras tanto usar el proveedor de respaldo.'],
		{ severity: { down: 'critical' } },
	),
	'payments.live_credentials_not_enabled': rule(
		['The live payment credentials are not enabled yet.', 'A person must activate the production credentials in the provider’s panel. Use the fallback provider meanwhile.'],
		['Las credenciales de pago productivas todavía no están habilitadas.', 'Una persona debe activar las credenciales de producción en el panel del proveedor. Mientras tanto usar el proveedor de respaldo.'],
		{ severity: { down: 'critical' } },
	),
	'payments.no_payment_link': rule(
		['The payment provider created the order but returned no payment link.', 'Customers get no link to pay; switch to the fallback provider and tell a person.'],
		['El proveedor de pagos creó la orden pero no devolvió un link de pago.', 'Los clientes no reciben link para pagar; pasar al proveedor de respaldo y avisar a una persona.'],
		{ severity: { down: 'critical' } },
	),
	'payments.account_restricted': rule(
		['The payment provider refuses orders for this merchant account.', 'The account is restricted or not enabled; a person must contact the provider. Use the fallback provider meanwhile.'],
		['El proveedor de pagos rechaza órdenes para esta cuenta de vendedor.', 'La cuenta está restringida o no habilitada; una persona debe contactar al proveedor. Mientras tanto usar el proveedor de respaldo.'],
		{ severity: { down: 'critical' } },
	),
	// ------------------------------------------------------------ llm
	'llm.model_unavailable': rule(
		['The configured model is not available (retired or not allowed for this key).', 'Switch to the fallback provider; a person must choose an available model.'],
		['El modelo configurado no está disponible (retirado o no permitido para esta clave).', 'Pasar al proveedor de respaldo; una persona debe elegir un modelo disponible.'],
		{ actions: { any: ['llm.use_fallback', 'notify.escalate'] } },
	),
	'llm.quota_exhausted': rule(
		['The LLM provider account ran out of quota or credit.', 'Switch to the fallback provider; a person must add credit or raise the quota.'],
		['La cuenta del proveedor de IA se quedó sin cuota o crédito.', 'Pasar al proveedor de respaldo; una persona debe cargar crédito o subir la cuota.'],
		{ actions: { any: ['llm.use_fallback', 'notify.escalate'] } },
	),
	// ------------------------------------------------------------ logs
	'logs.table_missing': rule(
		['The log table to archive does not exist.', 'A person must correct the table name in the archive settings.'],
		['La tabla de registros a archivar no existe.', 'Una persona debe corregir el nombre de la tabla en la configuración del archivado.'],
		{ actions: ESCALATE },
	),
	'logs.archive_running': rule(
		['Another archive run of the same table was still going.', 'Nothing was changed; the next scheduled run will archive.'],
		['Otra ejecución de archivado de la misma tabla seguía en curso.', 'No se cambió nada; la próxima ejecución programada archivará.'],
		{ actions: { any: ['logs.archive'] }, severity: { degraded: 'low' } },
	),
	'logs.archive_dir_unwritable': rule(
		['The archive directory is not writable.', 'Permissions or a full disk; a person must fix the directory.'],
		['No se puede escribir en el directorio de archivado.', 'Permisos o disco lleno; una persona debe corregir el directorio.'],
		{ actions: ESCALATE },
	),
	'logs.archive_file_failed': rule(
		['Writing the archive file failed; no rows were deleted.', 'Retry the archive; tell a person if it fails again.'],
		['Falló la escritura del archivo de archivado; no se borraron filas.', 'Reintentar el archivado; avisar a una persona si vuelve a fallar.'],
		{ actions: { any: ['logs.archive', 'notify.escalate'] } },
	),
	'logs.archive_schema_mismatch': rule(
		['The log table does not have the columns the archive expects.', 'A person must correct the archive settings or the table.'],
		['La tabla de registros no tiene las columnas que espera el archivado.', 'Una persona debe corregir la configuración del archivado o la tabla.'],
		{ actions: ESCALATE },
	),
	'logs.archive_incomplete': rule(
		['The archive run stopped before moving every old row.', 'It hit its time or batch limit; run the archive again.'],
		['El archivado se detuvo antes de mover todas las filas viejas.', 'Alcanzó su límite de tiempo o de lotes; volver a ejecutar el archivado.'],
		{ actions: { any: ['logs.archive'] } },
	),
	'logs.archive_slow_batch': rule(
		['An archive batch was slow.', 'The database is busy or the batch is too large; the archive still progresses.'],
		['Un lote de archivado fue lento.', 'La base está ocupada o el lote es muy grande; el archivado igual avanza.'],
		{ actions: { any: ['logs.archive'] }, severity: { degraded: 'low' } },
	),
	'logs.archive_failed': rule(
		['The log archive failed.', 'Retry the archive; tell a person if it fails again.'],
		['Falló el archivado de registros.', 'Reintentar el archivado; avisar a una persona si vuelve a fallar.'],
		{ actions: { any: ['logs.archive', 'notify.escalate'] } },
	),
	'logs.error_spike': rule(
		['The bot is logging far more errors than usual.', 'Something started failing recently; a person must look at the most frequent error messages.'],
		['El bot está registrando muchos más errores que lo habitual.', 'Algo empezó a fallar hace poco; una persona debe revisar los mensajes de error más frecuentes.'],
		{ actions: ESCALATE },
	),
	// ------------------------------------------------------------ host
	'host.disk_space_low': rule(
		['The disk is almost full.', 'Archive old logs and prune old backups to free space; tell a person if it is not enough.'],
		['El disco está casi lleno.', 'Archivar registros viejos y borrar respaldos antiguos para liberar espacio; avisar a una persona si no alcanza.'],
		{ actions: { any: ['logs.archive', 'backup.prune', 'notify.escalate'] } },
	),
	'host.inodes_low': rule(
		['The disk is running out of inodes (too many small files).', 'Archive old logs and prune old backups; a person should find the directory with many files.'],
		['El disco se está quedando sin inodos (demasiados archivos pequeños).', 'Archivar registros viejos y borrar respaldos antiguos; una persona debería buscar el directorio con muchos archivos.'],
		{ actions: { any: ['logs.archive', 'backup.prune', 'notify.escalate'] } },
	),
	'host.memory_low': rule(
		['The host is running out of memory.', 'A person must find the process using the memory or add memory.'],
		['El servidor se está quedando sin memoria.', 'Una persona debe encontrar el proceso que consume la memoria o agregar memoria.'],
		{ actions: ESCALATE },
	),
	'host.load_high': rule(
		['The host’s CPU load is too high.', 'Everything on the host slows down; a person must find the busy process.'],
		['La carga de CPU del servidor es demasiado alta.', 'Todo en el servidor se vuelve lento; una persona debe encontrar el proceso ocupado.'],
		{ actions: ESCALATE },
	),
	'host.n8n_not_ready': rule(
		['n8n answers but is not ready (its database or migrations).', 'Workflows may not run; a person must look at n8n’s logs.'],
		['n8n responde pero no está listo (su base de datos o migraciones).', 'Los flujos pueden no ejecutarse; una persona debe revisar los registros de n8n.'],
		{ actions: ESCALATE, severity: { down: 'critical' } },
	),
	// ------------------------------------------------------------ backup
	'backup.disk_full': rule(
		['The backup disk is full.', 'Prune old backups to free space, then back up again; tell a person if it is not enough.'],
		['El disco de respaldos está lleno.', 'Borrar respaldos antiguos para liberar espacio y respaldar de nuevo; avisar a una persona si no alcanza.'],
		{ actions: { any: ['backup.prune', 'notify.escalate'] } },
	),
	'backup.unwritable': rule(
		['The backup folder cannot be written.', "A person must fix the folder's path or permissions."],
		['No se puede escribir en la carpeta de respaldos.', 'Una persona debe corregir la ruta o los permisos de la carpeta.'],
		{ actions: ESCALATE },
	),
	'backup.write_failed': rule(
		['Writing the backup failed.', 'Run the backup again; tell a person if it keeps failing.'],
		['Falló la escritura del respaldo.', 'Ejecutar el respaldo de nuevo; avisar a una persona si sigue fallando.'],
		{ actions: { any: ['backup.run', 'notify.escalate'] } },
	),
	'backup.tool_missing': rule(
		['The backup tool (pg_dump, pg_restore or sqlite3) is not installed where configured.', 'A person must install it or fix its path.'],
		['La herramienta de respaldo (pg_dump, pg_restore o sqlite3) no está instalada donde se configuró.', 'Una persona debe instalarla o corregir su ruta.'],
		{ actions: ESCALATE },
	),
	'backup.tool_too_old': rule(
		['The backup tool is older than the database server.', 'A person must install a pg_dump at least as new as the server.'],
		['La herramienta de respaldo es más vieja que el servidor de base de datos.', 'Una persona debe instalar un pg_dump al menos tan nuevo como el servidor.'],
		{ actions: ESCALATE },
	),
	'backup.tool_unusable': rule(
		['The configured backup tool does not work.', "A person must check the tool's path and installation."],
		['La herramienta de respaldo configurada no funciona.', 'Una persona debe revisar la ruta y la instalación de la herramienta.'],
		{ actions: ESCALATE },
	),
	'backup.dump_failed': rule(
		['The database dump failed.', 'Run the backup again; tell a person if it keeps failing.'],
		['Falló el volcado de la base de datos.', 'Ejecutar el respaldo de nuevo; avisar a una persona si sigue fallando.'],
		{ actions: { any: ['backup.run', 'notify.escalate'] } },
	),
	'backup.dump_unreadable': rule(
		['A database dump cannot be read back.', 'Make a new backup; a person should look at the broken file.'],
		['No se puede leer un volcado de la base de datos.', 'Hacer un respaldo nuevo; una persona debería revisar el archivo dañado.'],
		{ actions: { any: ['backup.run', 'notify.escalate'] } },
	),
	'backup.tables_missing': rule(
		['A database dump lacks expected tables.', 'A person must check what the dump contains before relying on it.'],
		['A un volcado de la base de datos le faltan tablas esperadas.', 'Una persona debe revisar qué contiene el volcado antes de confiar en él.'],
		{ actions: ESCALATE },
	),
	'backup.checksum_mismatch': rule(
		['A backup file does not match its checksum (it changed or is damaged).', 'Make a new backup; a person should find out what damaged the file.'],
		['Un archivo de respaldo no coincide con su suma de control (cambió o está dañado).', 'Hacer un respaldo nuevo; una persona debería averiguar qué dañó el archivo.'],
		{ actions: { any: ['backup.run', 'notify.escalate'] } },
	),
	'backup.checksum_missing': rule(
		['A backup has no checksum to verify it against.', 'Make a new backup so it can be verified.'],
		['Un respaldo no tiene suma de control para verificarlo.', 'Hacer un respaldo nuevo para poder verificarlo.'],
		{ actions: { any: ['backup.run', 'notify.escalate'] } },
	),
	'backup.archive_corrupt': rule(
		['A backup archive is damaged.', 'Make a new backup; a person should look at the damaged archive.'],
		['Un archivo de respaldo está dañado.', 'Hacer un respaldo nuevo; una persona debería revisar el archivo dañado.'],
		{ actions: { any: ['backup.run', 'notify.escalate'] } },
	),
	'backup.archive_missing': rule(
		['An expected backup archive is missing.', 'Make a new backup; a person should find out who removed it.'],
		['Falta un archivo de respaldo esperado.', 'Hacer un respaldo nuevo; una persona debería averiguar quién lo borró.'],
		{ actions: { any: ['backup.run', 'notify.escalate'] } },
	),
	'backup.file_missing': rule(
		['An expected backup file is missing.', 'Make a new backup; a person should find out who removed it.'],
		['Falta un archivo de respaldo esperado.', 'Hacer un respaldo nuevo; una persona debería averiguar quién lo borró.'],
		{ actions: { any: ['backup.run', 'notify.escalate'] } },
	),
	'backup.manifest_mismatch': rule(
		['A backup archive does not match its manifest.', 'Make a new backup; the old one cannot be trusted.'],
		['Un archivo de respaldo no coincide con su manifiesto.', 'Hacer un respaldo nuevo; el anterior no es confiable.'],
		{ actions: { any: ['backup.run', 'notify.escalate'] } },
	),
	'backup.unsafe_archive': rule(
		['A backup archive contains entries that would write outside the restore folder.', 'Do not restore it; a person must check where the archive came from.'],
		['Un archivo de respaldo contiene entradas que escribirían fuera de la carpeta de restauración.', 'No restaurarlo; una persona debe revisar de dónde salió el archivo.'],
		{ actions: ESCALATE },
	),
	'backup.source_missing': rule(
		['The folder or database to back up does not exist.', 'A person must fix the configured source.'],
		['La carpeta o base de datos a respaldar no existe.', 'Una persona debe corregir el origen configurado.'],
		{ actions: ESCALATE },
	),
	'backup.source_unreadable': rule(
		['The folder to back up cannot be read.', 'A person must fix its permissions.'],
		['No se puede leer la carpeta a respaldar.', 'Una persona debe corregir sus permisos.'],
		{ actions: ESCALATE },
	),
	'backup.source_changed': rule(
		['Files changed while they were being backed up.', 'Run the backup again, ideally at a quieter time.'],
		['Los archivos cambiaron mientras se respaldaban.', 'Ejecutar el respaldo de nuevo, mejor en un momento más tranquilo.'],
		{ actions: { any: ['backup.run', 'notify.escalate'] } },
	),
	'backup.sqlite_unavailable': rule(
		['The n8n SQLite database cannot be captured consistently (sqlite3 is not available).', 'A person must install sqlite3 or set its path.'],
		['No se puede capturar de forma consistente la base SQLite de n8n (sqlite3 no está disponible).', 'Una persona debe instalar sqlite3 o indicar su ruta.'],
		{ actions: ESCALATE },
	),
	'backup.sqlite_failed': rule(
		['Capturing the n8n SQLite database failed.', 'Run the backup again; tell a person if it keeps failing.'],
		['Falló la captura de la base SQLite de n8n.', 'Ejecutar el respaldo de nuevo; avisar a una persona si sigue fallando.'],
		{ actions: { any: ['backup.run', 'notify.escalate'] } },
	),
	'backup.sqlite_timeout': rule(
		['Capturing the n8n SQLite database took too long.', 'Run the backup again at a quieter time.'],
		['La captura de la base SQLite de n8n tardó demasiado.', 'Ejecutar el respaldo de nuevo en un momento más tranquilo.'],
		{ actions: { any: ['backup.run', 'notify.escalate'] } },
	),
	'backup.sqlite_inconsistent': rule(
		['The captured n8n SQLite database failed its integrity check.', 'Run the backup again; a person should check the live database.'],
		['La base SQLite de n8n capturada no pasó el control de integridad.', 'Ejecutar el respaldo de nuevo; una persona debería revisar la base en uso.'],
		{ actions: { any: ['backup.run', 'notify.escalate'] } },
	),
	'backup.restore_failed': rule(
		['A restore failed; the target was left as it was.', 'A person must look at the restore error before trying again.'],
		['Falló una restauración; el destino quedó como estaba.', 'Una persona debe revisar el error antes de intentarlo de nuevo.'],
		{ actions: ESCALATE },
	),
	'backup.restore_target_not_empty': rule(
		['The restore target is not empty.', 'A person must choose an empty target or allow overwriting.'],
		['El destino de la restauración no está vacío.', 'Una persona debe elegir un destino vacío o permitir sobrescribir.'],
		{ actions: ESCALATE },
	),
};

/** One rule per code family, for codes the exact table does not know. */
const FAMILY_RULES: Record<string, Rule> = {
	net: rule(
		['A network problem between n8n and the service.', 'Reconnect or switch to the fallback, and tell a person if it persists.'],
		['Un problema de red entre n8n y el servicio.', 'Reconectar o pasar al respaldo, y avisar a una persona si continúa.'],
	),
	auth: rule(
		['An authentication or permission problem with the credential.', 'A person must check the credential in n8n.'],
		['Un problema de autenticación o de permisos con la credencial.', 'Una persona debe revisar la credencial en n8n.'],
		{ actions: ESCALATE_OR_FALLBACK },
	),
	provider: rule(
		['The provider answered with an error.', 'Retry later or switch to the fallback; tell a person if it persists.'],
		['El proveedor respondió con un error.', 'Reintentar más tarde o pasar al respaldo; avisar a una persona si continúa.'],
	),
	config: rule(
		['A configuration problem in the node or its credential.', 'A person must correct the configuration.'],
		['Un problema de configuración en el nodo o en su credencial.', 'Una persona debe corregir la configuración.'],
		{ actions: ESCALATE },
	),
	whatsapp: rule(
		['A problem with the WhatsApp connection.', 'Reconnect the session; tell a person if it persists.'],
		['Un problema con la conexión de WhatsApp.', 'Reconectar la sesión; avisar a una persona si continúa.'],
	),
	database: rule(
		['A problem with the database.', 'Reconnect; tell a person if it persists.'],
		['Un problema con la base de datos.', 'Reconectar; avisar a una persona si continúa.'],
	),
	payments: rule(
		['A problem with the payment provider.', 'Switch to the fallback payment provider and tell a person.'],
		['Un problema con el proveedor de pagos.', 'Pasar al proveedor de pagos de respaldo y avisar a una persona.'],
	),
	llm: rule(
		['A problem with the LLM provider.', 'Switch to the fallback LLM provider.'],
		['Un problema con el proveedor de IA.', 'Pasar al proveedor de IA de respaldo.'],
	),
	logs: rule(
		['A problem with the log archive.', 'Retry the archive; tell a person if it persists.'],
		['Un problema con el archivado de registros.', 'Reintentar el archivado; avisar a una persona si continúa.'],
	),
	host: rule(
		['A problem with the host’s resources.', 'A person must look at the server.'],
		['Un problema con los recursos del servidor.', 'Una persona debe revisar el servidor.'],
		{ actions: ESCALATE },
	),
	backup: rule(
		['A problem with the backups.', 'Run a backup again; tell a person if it fails.'],
		['Un problema con los respaldos.', 'Ejecutar un respaldo de nuevo; avisar a una persona si falla.'],
		{ actions: { any: ['backup.run', 'notify.escalate'] } },
	),
};

const GENERIC_RULE = rule(
	['The check failed for a reason no rule knows.', 'A person should look at the failing check.'],
	['El control falló por un motivo que ninguna regla conoce.', 'Una persona debería revisar el control que falla.'],
	{ actions: ESCALATE },
);

/** The cause codes with a rule of their own (exported for tests and documentation). */
export const RULE_CODES: readonly string[] = Object.keys(EXACT_RULES);
export const RULE_FAMILIES: readonly string[] = Object.keys(FAMILY_RULES);

const DETAIL_LABEL: Record<DiagnosisLanguage, string> = { en: 'Detail', es: 'Detalle' };
const MAX_DETAIL_CHARS = 200;

function severityOf(status: 'degraded' | 'down', override: Rule['severity']): Severity {
	if (status === 'degraded') return override?.degraded ?? 'medium';
	const wanted = override?.down ?? 'high';
	return SEVERITIES.indexOf(wanted) >= SEVERITIES.indexOf('high') ? wanted : 'high';
}

/** The rule's actions kept to those allowed for the component, escalation first when a person must act. */
function actionsOf(component: Component, cause: Cause, plan: ActionPlan | undefined): ActionId[] {
	const wanted = plan?.[component] ?? plan?.any ?? COMPONENT_DEFAULT_ACTIONS[component];
	const allowed = ACTIONS_BY_COMPONENT[component];
	const actions = [...new Set(wanted)].filter((action) => allowed.includes(action));
	if (cause.needsHuman) return ['notify.escalate', ...actions.filter((action) => action !== 'notify.escalate')];
	return actions.length > 0 ? actions : ['notify.escalate'];
}

function clip(text: string, max: number): string {
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function isDiagnosisLanguage(value: unknown): value is DiagnosisLanguage {
	return typeof value === 'string' && (DIAGNOSIS_LANGUAGES as readonly string[]).includes(value);
}

/** The rule-based diagnosis of an unhealthy result; throws for a healthy one. */
export function ruleDiagnosis(result: CheckResult, language: DiagnosisLanguage): RuleDiagnosis {
	if (!isDiagnosisLanguage(language)) throw new RangeError(`language must be one of ${DIAGNOSIS_LANGUAGES.join('|')}, got ${JSON.stringify(language)}`);
	const cause = causeToDiagnose(result);
	const status = result.status === 'down' ? 'down' : 'degraded';
	const family = cause.code.split('.')[0];
	const exact = Object.prototype.hasOwnProperty.call(EXACT_RULES, cause.code) ? EXACT_RULES[cause.code] : undefined;
	const familyRule = exact ? undefined : Object.prototype.hasOwnProperty.call(FAMILY_RULES, family) ? FAMILY_RULES[family] : undefined;
	const chosen = exact ?? familyRule ?? GENERIC_RULE;
	const texts = chosen[language];
	// A rule that is not specific to the code quotes the cause message, so the reader keeps the facts.
	const summary = exact
		? texts.summary
		: `${texts.summary} ${DETAIL_LABEL[language]}: ${clip(redact(cause.message), MAX_DETAIL_CHARS)}`;
	return {
		rootCause: texts.rootCause,
		summary,
		severity: severityOf(status, chosen.severity),
		confidence: exact ? RULE_CONFIDENCE.exact : familyRule ? RULE_CONFIDENCE.family : RULE_CONFIDENCE.generic,
		recommendedActions: actionsOf(result.component, cause, chosen.actions),
		rejected: [],
	};
}
