/**
 * What each cause code means for the shop owner, in plain words, and what they must do
 * when a person is needed: the first line of every alert about that cause. One entry
 * per cause code the nodes produce, in every alert language (a unit test scans the
 * sources for codes and fails on a missing one). `{service}` is the component's name in
 * the alert's language, `{credential}` names the n8n credential to change (see
 * `credentialPhrase`). `act` says where the person acts, so the e-mail can link there.
 */
import type { Language } from './phrases';

/** Where the owner goes to act: the n8n credentials list, the backup's restore, the bot's phone, the Monitor's Settings. */
export type ActPlace = 'credentials' | 'restore' | 'phone' | 'settings' | 'host' | 'provider';

interface OwnerEntry {
	en: string;
	es: string;
	act?: ActPlace;
}

const e = (en: string, es: string, act?: ActPlace): OwnerEntry => ({ en, es, ...(act ? { act } : {}) });

export const OWNER_SENTENCES: Readonly<Record<string, OwnerEntry>> = {
	// ------------------------------------------------------------ network and providers (any component)
	'net.timeout': e(
		'{service} does not answer in time: automatic recovery is trying; if it keeps failing, check that the {service} server is running.',
		'{service} no responde a tiempo: la recuperación automática lo está intentando; si sigue fallando, revise que el servidor de {service} esté encendido.',
		'provider',
	),
	'net.unreachable': e(
		'{service} cannot be reached: automatic recovery is trying; if it keeps failing, check that the server is on and its address is right.',
		'No se puede llegar a {service}: la recuperación automática lo está intentando; si sigue fallando, revise que el servidor esté encendido y su dirección sea correcta.',
		'provider',
	),
	'net.reset': e(
		'The connection to {service} keeps dropping: automatic recovery is reconnecting; nothing to do unless it keeps failing.',
		'La conexión con {service} se corta: la recuperación automática está reconectando; no hace falta hacer nada salvo que siga fallando.',
	),
	'auth.invalid_credentials': e(
		'{service} rejected its key or password (revoked or expired): put a new one in {credential}.',
		'{service} rechazó su clave o contraseña (revocada o vencida): ponga una nueva en {credential}.',
		'credentials',
	),
	'auth.forbidden': e(
		'{service} accepts the key but refuses this operation: give the account the permission, or put another key in {credential}.',
		'{service} acepta la clave pero no permite esta operación: dé el permiso a la cuenta o ponga otra clave en {credential}.',
		'credentials',
	),
	'provider.rate_limited': e(
		'{service} is limiting how often we may call it: the monitor waits or switches to the backup provider; if it lasts, check your plan with the provider.',
		'{service} está limitando las llamadas: el monitor espera o pasa al proveedor de respaldo; si dura, revise su plan con el proveedor.',
		'provider',
	),
	'provider.server_error': e(
		'{service} has a problem on its side: automatic recovery retries or switches to the backup provider; check the provider’s status page if it lasts.',
		'{service} tiene un problema de su lado: la recuperación automática reintenta o pasa al respaldo; si dura, mire la página de estado del proveedor.',
		'provider',
	),
	'provider.malformed_response': e(
		'{service} answered something unexpected (an outage page or a changed API): it is retried; if it lasts, check the provider’s status page.',
		'{service} respondió algo inesperado (una página de error o una API cambiada): se reintenta; si dura, mire la página de estado del proveedor.',
		'provider',
	),
	'provider.bad_request': e(
		'{service} rejects our requests as invalid: a setting is wrong or the provider changed; check the settings of {credential}.',
		'{service} rechaza nuestras peticiones por inválidas: hay un ajuste incorrecto o el proveedor cambió; revise los ajustes de {credential}.',
		'credentials',
	),
	'provider.not_found': e(
		'{service} does not know the configured account or resource: correct the id in {credential} or in the Monitor’s Settings.',
		'{service} no conoce la cuenta o el recurso configurado: corrija el identificador en {credential} o en los Settings del Monitor.',
		'credentials',
	),
	'config.missing': e(
		'A required setting for {service} is empty: fill it in the Monitor’s Settings or in {credential}.',
		'Falta un ajuste obligatorio de {service}: complételo en los Settings del Monitor o en {credential}.',
		'settings',
	),
	'config.invalid': e(
		'A setting for {service} is wrong (for example a table, folder or name that does not exist): correct it in the Monitor’s Settings or in {credential}.',
		'Un ajuste de {service} es incorrecto (por ejemplo una tabla, carpeta o nombre que no existe): corríjalo en los Settings del Monitor o en {credential}.',
		'settings',
	),
	'config.unknown_instance': e(
		'The WhatsApp instance named in the settings does not exist on the Evolution server: create it there or correct its name in the Monitor’s Settings.',
		'La instancia de WhatsApp de los ajustes no existe en el servidor de Evolution: créela allí o corrija su nombre en los Settings del Monitor.',
		'settings',
	),
	'config.unknown_session': e(
		'The WhatsApp session named in the settings does not exist on the WAHA server: create it there or correct its name in the Monitor’s Settings.',
		'La sesión de WhatsApp de los ajustes no existe en el servidor de WAHA: créela allí o corrija su nombre en los Settings del Monitor.',
		'settings',
	),
	'config.unknown_phone_number': e(
		'The WhatsApp Cloud API does not know the configured phone number id: correct it, or the token, in {credential}.',
		'La Cloud API de WhatsApp no conoce el id de número configurado: corríjalo, o el token, en {credential}.',
		'credentials',
	),
	// ------------------------------------------------------------ WhatsApp
	'whatsapp.disconnected': e(
		'The shop’s WhatsApp is disconnected, so customers get no answers: automatic recovery restarts it; if that fails, scan the new QR code with the shop’s phone.',
		'El WhatsApp de la tienda está desconectado y los clientes no reciben respuesta: la recuperación automática lo reinicia; si falla, escanee el QR nuevo con el teléfono de la tienda.',
		'phone',
	),
	'whatsapp.qr_required': e(
		'The shop’s WhatsApp was logged out: scan the QR code with the shop’s phone (WhatsApp → Linked devices → Link a device).',
		'El WhatsApp de la tienda se cerró: escanee el código QR con el teléfono de la tienda (WhatsApp → Dispositivos vinculados → Vincular un dispositivo).',
		'phone',
	),
	'whatsapp.qr_not_ready': e(
		'The shop’s WhatsApp needs a new link but the QR code is not ready yet: wait for the next alert with the QR and scan it with the shop’s phone.',
		'El WhatsApp de la tienda necesita vincularse de nuevo pero el QR aún no está listo: espere el próximo aviso con el QR y escanéelo con el teléfono de la tienda.',
		'phone',
	),
	'whatsapp.qr_limit_reached': e(
		'The QR code expired too many times without being scanned: ask for a new relink and scan the QR with the shop’s phone right away.',
		'El QR venció demasiadas veces sin escanearse: pida vincular de nuevo y escanee el QR con el teléfono de la tienda enseguida.',
		'phone',
	),
	'whatsapp.pin_mismatch': e(
		'WhatsApp rejected the two-step verification PIN: enter the right PIN in {credential}.',
		'WhatsApp rechazó el PIN de verificación en dos pasos: ponga el PIN correcto en {credential}.',
		'credentials',
	),
	'whatsapp.instance_not_loaded': e(
		'The WhatsApp gateway lost the shop’s session: automatic recovery restarts it; if that fails, scan the new QR code with the shop’s phone.',
		'El servidor de WhatsApp perdió la sesión de la tienda: la recuperación automática la reinicia; si falla, escanee el QR nuevo con el teléfono de la tienda.',
		'phone',
	),
	'whatsapp.connecting': e(
		'The shop’s WhatsApp is stuck connecting: automatic recovery restarts it; nothing to do unless it keeps failing.',
		'El WhatsApp de la tienda no termina de conectarse: la recuperación automática lo reinicia; no hace falta hacer nada salvo que siga fallando.',
	),
	'whatsapp.starting': e(
		'The shop’s WhatsApp is still starting: it is checked again shortly; nothing to do unless it keeps failing.',
		'El WhatsApp de la tienda todavía está arrancando: se revisa de nuevo en breve; no hace falta hacer nada salvo que siga fallando.',
	),
	'whatsapp.unknown_state': e(
		'The WhatsApp gateway reports a state the monitor does not know: automatic recovery restarts it; if it lasts, open the gateway’s panel and check the session.',
		'El servidor de WhatsApp informa un estado que el monitor no conoce: la recuperación automática lo reinicia; si dura, abra el panel del servidor y revise la sesión.',
		'provider',
	),
	'whatsapp.unknown_status': e(
		'WhatsApp reports an account status the monitor does not know: open WhatsApp Manager and check the number’s status.',
		'WhatsApp informa un estado de cuenta que el monitor no conoce: abra WhatsApp Manager y revise el estado del número.',
		'provider',
	),
	'whatsapp.number_not_registered': e(
		'The shop’s number is not registered with the WhatsApp Cloud API: automatic recovery registers it; if that fails, register it in WhatsApp Manager.',
		'El número de la tienda no está registrado en la Cloud API de WhatsApp: la recuperación automática lo registra; si falla, regístrelo en WhatsApp Manager.',
		'provider',
	),
	'whatsapp.number_not_verified': e(
		'The shop’s WhatsApp number is not verified: verify it in WhatsApp Manager (Phone numbers).',
		'El número de WhatsApp de la tienda no está verificado: verifíquelo en WhatsApp Manager (Números de teléfono).',
		'provider',
	),
	'whatsapp.number_migrated': e(
		'The shop’s number was moved to another WhatsApp account: put the new phone number id in {credential}.',
		'El número de la tienda pasó a otra cuenta de WhatsApp: ponga el nuevo id de número en {credential}.',
		'credentials',
	),
	'whatsapp.number_banned': e(
		'WhatsApp banned the shop’s number: the bot cannot talk to customers; appeal in WhatsApp Manager or move the bot to another number.',
		'WhatsApp bloqueó el número de la tienda: el bot no puede hablar con los clientes; apele en WhatsApp Manager o pase el bot a otro número.',
		'provider',
	),
	'whatsapp.number_restricted': e(
		'WhatsApp restricted the shop’s number for a while: the bot can only answer customers who write first; check WhatsApp Manager for when it ends.',
		'WhatsApp restringió el número de la tienda por un tiempo: el bot solo puede responder a quien escriba primero; vea en WhatsApp Manager cuándo termina.',
		'provider',
	),
	'whatsapp.number_flagged': e(
		'WhatsApp flagged the shop’s number for low quality: send fewer unsolicited messages and check WhatsApp Manager.',
		'WhatsApp marcó el número de la tienda por baja calidad: envíe menos mensajes no solicitados y revise WhatsApp Manager.',
		'provider',
	),
	'whatsapp.quality_yellow': e(
		'Customers are reporting or blocking the shop’s messages (quality: medium): check the messages the bot sends before WhatsApp limits the number.',
		'Los clientes están denunciando o bloqueando los mensajes de la tienda (calidad: media): revise los mensajes del bot antes de que WhatsApp limite el número.',
		'provider',
	),
	'whatsapp.quality_red': e(
		'Many customers report or block the shop’s messages (quality: low): stop marketing messages now and check WhatsApp Manager, or the number may be limited.',
		'Muchos clientes denuncian o bloquean los mensajes de la tienda (calidad: baja): detenga ya los mensajes de marketing y revise WhatsApp Manager, o el número puede quedar limitado.',
		'provider',
	),
	'whatsapp.policy_blocked': e(
		'WhatsApp blocked a message for breaking its policy: review the bot’s message templates in WhatsApp Manager.',
		'WhatsApp bloqueó un mensaje por incumplir su política: revise las plantillas de mensajes del bot en WhatsApp Manager.',
		'provider',
	),
	'whatsapp.send_blocked': e(
		'WhatsApp does not let the shop’s number send messages right now: check the number’s status in WhatsApp Manager.',
		'WhatsApp no deja enviar mensajes al número de la tienda por ahora: revise el estado del número en WhatsApp Manager.',
		'provider',
	),
	'whatsapp.send_limited': e(
		'The shop’s number reached WhatsApp’s sending limit: messages wait until the limit resets; nothing to do unless it happens every day.',
		'El número de la tienda llegó al límite de envíos de WhatsApp: los mensajes esperan a que se renueve el límite; no hace falta hacer nada salvo que pase todos los días.',
	),
	'whatsapp.reengagement_required': e(
		'The test recipient has not written to the shop in 24 hours, so WhatsApp only allows a template message: have the test number write to the shop, or use a template.',
		'El destinatario de prueba no escribió a la tienda en 24 horas y WhatsApp solo permite una plantilla: haga que el número de prueba escriba a la tienda o use una plantilla.',
		'settings',
	),
	'whatsapp.recipient_not_on_whatsapp': e(
		'The test recipient’s number is not on WhatsApp: put a number that uses WhatsApp in the Monitor’s Settings.',
		'El número destinatario de prueba no usa WhatsApp: ponga un número con WhatsApp en los Settings del Monitor.',
		'settings',
	),
	'whatsapp.recipient_undeliverable': e(
		'WhatsApp could not deliver the test message to the recipient: check the test number in the Monitor’s Settings and that it has not blocked the shop.',
		'WhatsApp no pudo entregar el mensaje de prueba: revise el número de prueba en los Settings del Monitor y que no haya bloqueado a la tienda.',
		'settings',
	),
	// Conversation canary and webhook integrity (issue 19): what a customer experiences.
	'whatsapp.inbound_not_delivered': e(
		'Customers’ WhatsApp messages are not reaching the bot although WhatsApp looks connected: automatic recovery restarts the session; if that fails, link the shop’s phone again.',
		'Los mensajes de WhatsApp de los clientes no llegan al bot aunque WhatsApp parece conectado: la recuperación automática reinicia la sesión; si falla, vincule de nuevo el teléfono de la tienda.',
		'phone',
	),
	'whatsapp.bot_silent': e(
		'Customers’ messages reach the bot but it does not answer: WhatsApp is fine, so open the bot’s workflow in n8n and check its last executions and its AI credential.',
		'Los mensajes de los clientes llegan al bot pero no responde: WhatsApp funciona, así que abra el workflow del bot en n8n y revise sus últimas ejecuciones y la credencial de su IA.',
	),
	'whatsapp.no_reply': e(
		'The test message got no answer and it is unknown whether it reached the bot: check the bot’s workflow in n8n and that the shop’s WhatsApp receives messages.',
		'El mensaje de prueba no tuvo respuesta y no se sabe si llegó al bot: revise el workflow del bot en n8n y que el WhatsApp de la tienda reciba mensajes.',
	),
	'whatsapp.reply_slow': e(
		'The bot answers, but slowly: nothing to do if it passes; if it lasts, check the bot’s AI provider and the server’s load.',
		'El bot responde, pero lento: no hace falta hacer nada si pasa; si dura, revise el proveedor de IA del bot y la carga del servidor.',
	),
	'whatsapp.reply_mismatch': e(
		'The bot answers with something other than expected: check the bot’s workflow and its AI prompt in n8n, or the Expected Reply Pattern in the Monitor’s Settings.',
		'El bot responde algo distinto de lo esperado: revise el workflow del bot y el prompt de su IA en n8n, o el patrón de respuesta esperada en los ajustes del Monitor.',
		'settings',
	),
	'whatsapp.outbound_missing': e(
		'A reply arrived, but the shop’s WhatsApp did not send it: check whether another device or person answers for the shop.',
		'Llegó una respuesta, pero no la envió el WhatsApp de la tienda: revise si otro dispositivo o persona responde por la tienda.',
		'phone',
	),
	'whatsapp.canary_broken': e(
		'The test number (canary) cannot send, so the bot could not be tested; the bot was not touched: link the canary’s phone again or fix its credential.',
		'El número de prueba (canario) no puede enviar, así que no se pudo probar el bot; el bot no se tocó: vincule de nuevo el teléfono del canario o corrija su credencial.',
		'credentials',
	),
	'whatsapp.inbound_silent': e(
		'No customer message has arrived for much longer than usual at this hour: automatic recovery restarts the session; send the shop a message from another phone to check.',
		'No llega ningún mensaje de clientes desde hace mucho más de lo habitual a esta hora: la recuperación automática reinicia la sesión; envíe un mensaje a la tienda desde otro teléfono para comprobarlo.',
	),
	'whatsapp.inbound_unanswered': e(
		'Customers are writing to the shop’s WhatsApp and the bot answers none of them: WhatsApp receives, so open the bot’s workflow in n8n and check its last executions, its AI credential and that the gateway still sends it the messages.',
		'Los clientes escriben al WhatsApp de la tienda y el bot no responde a ninguno: WhatsApp recibe, así que abra el workflow del bot en n8n y revise sus últimas ejecuciones, la credencial de su IA y que la pasarela todavía le envíe los mensajes.',
	),
	'whatsapp.webhook_missing': e(
		'WhatsApp no longer forwards customers’ messages to the bot (its webhook is gone or disabled): automatic recovery sets it again; if that fails, check the gateway’s webhook settings.',
		'WhatsApp ya no reenvía los mensajes de los clientes al bot (su webhook desapareció o está desactivado): la recuperación automática lo vuelve a configurar; si falla, revise el webhook de la pasarela.',
	),
	'whatsapp.webhook_mismatch': e(
		'WhatsApp forwards customers’ messages to the wrong place or without the message events: automatic recovery sets the webhook again; if that fails, check the gateway’s webhook settings.',
		'WhatsApp reenvía los mensajes de los clientes a otro lugar o sin los eventos de mensajes: la recuperación automática vuelve a configurar el webhook; si falla, revise el webhook de la pasarela.',
	),
	// ------------------------------------------------------------ catalog database
	'database.catalog_empty': e(
		'The product catalog is empty, so the bot has nothing to sell: import the products again or restore the last database backup (Volume Backup → Restore Postgres).',
		'El catálogo de productos está vacío y el bot no tiene nada que vender: importe los productos de nuevo o restaure la última copia de la base de datos (Volume Backup → Restore Postgres).',
		'restore',
	),
	'database.products_without_images': e(
		'Some products lost their pictures: automatic recovery restores them from the image backup; if it cannot, add the pictures again.',
		'Algunos productos perdieron sus fotos: la recuperación automática las restaura desde la copia de imágenes; si no puede, vuelva a cargar las fotos.',
		'restore',
	),
	'database.invalid_prices': e(
		'Some products have a wrong price (zero, negative or empty): correct the prices in the catalog before customers see them.',
		'Algunos productos tienen un precio incorrecto (cero, negativo o vacío): corrija los precios del catálogo antes de que los vean los clientes.',
	),
	'database.duplicate_skus': e(
		'Several products share the same code (SKU): remove or rename the duplicates in the catalog.',
		'Varios productos comparten el mismo código (SKU): borre o renombre los duplicados en el catálogo.',
	),
	'database.orphan_rows': e(
		'Some catalog rows point to products that no longer exist: clean them up in the catalog (or restore the last database backup).',
		'Algunas filas del catálogo apuntan a productos que ya no existen: límpielas en el catálogo (o restaure la última copia de la base de datos).',
		'restore',
	),
	'database.schema_mismatch': e(
		'The catalog’s tables do not have the columns the bot expects: check the last change to the database or correct the table names in the Monitor’s Settings.',
		'Las tablas del catálogo no tienen las columnas que el bot espera: revise el último cambio en la base de datos o corrija los nombres de tabla en los Settings del Monitor.',
		'settings',
	),
	'database.custom_check_failed': e(
		'A check you defined on the catalog failed: look at its query in the Monitor and fix the data it found.',
		'Falló una revisión propia del catálogo: mire su consulta en el Monitor y corrija los datos que encontró.',
		'settings',
	),
	'database.repair_source_invalid': e(
		'The copy used to repair the catalog is not usable (wrong columns or empty): check the backup table or restore the last database backup.',
		'La copia usada para reparar el catálogo no sirve (columnas incorrectas o vacía): revise la tabla de respaldo o restaure la última copia de la base de datos.',
		'restore',
	),
	'database.repair_source_unreadable': e(
		'The copy used to repair the catalog cannot be read: check that the backup table or file exists and the database user may read it.',
		'No se puede leer la copia usada para reparar el catálogo: revise que exista la tabla o el archivo de respaldo y que el usuario de la base pueda leerlo.',
		'restore',
	),
	'database.unavailable': e(
		'The catalog database is not available: automatic recovery reconnects; if it keeps failing, check that the database server is running.',
		'La base de datos del catálogo no está disponible: la recuperación automática reconecta; si sigue fallando, revise que el servidor de la base esté encendido.',
		'host',
	),
	'database.too_many_connections': e(
		'The catalog database has no free connections: automatic recovery reconnects; if it lasts, restart the database or raise its connection limit.',
		'La base de datos del catálogo no tiene conexiones libres: la recuperación automática reconecta; si dura, reinicie la base o suba su límite de conexiones.',
		'host',
	),
	'database.read_only': e(
		'The catalog database is read-only, so orders and changes cannot be saved: check the database server (a full disk or a failover).',
		'La base de datos del catálogo está en solo lectura y no se pueden guardar pedidos ni cambios: revise el servidor de la base (disco lleno o cambio de servidor).',
		'host',
	),
	'database.error': e(
		'The catalog database answered with an error: automatic recovery reconnects; if it keeps failing, check the database server’s log.',
		'La base de datos del catálogo respondió con un error: la recuperación automática reconecta; si sigue fallando, revise el registro del servidor de la base.',
		'host',
	),
	// ------------------------------------------------------------ payments
	'payments.no_payment_link': e(
		'The payment provider did not return a payment link, so customers cannot pay: the monitor switches to the backup provider; check the account with the provider.',
		'El proveedor de pagos no devolvió un link de pago y los clientes no pueden pagar: el monitor pasa al proveedor de respaldo; revise la cuenta con el proveedor.',
		'provider',
	),
	'payments.account_restricted': e(
		'The payment account is restricted by the provider, so customers cannot pay: contact the provider to lift it; the backup provider is used meanwhile.',
		'La cuenta de pagos está restringida por el proveedor y los clientes no pueden pagar: contacte al proveedor para levantarla; mientras tanto se usa el de respaldo.',
		'provider',
	),
	'payments.live_credentials_not_enabled': e(
		'The payment account’s live mode is not enabled yet: finish the account activation with the provider.',
		'El modo real de la cuenta de pagos todavía no está habilitado: termine la activación de la cuenta con el proveedor.',
		'provider',
	),
	'payments.sandbox_token_in_production': e(
		'The shop uses a test payment key in production, so real payments fail: put the live key in {credential}.',
		'La tienda usa una clave de pagos de prueba en producción y los pagos reales fallan: ponga la clave real en {credential}.',
		'credentials',
	),
	'payments.production_token_in_sandbox': e(
		'A live payment key is set where a test key belongs: put the test key in {credential}, so no real money moves in tests.',
		'Hay una clave de pagos real donde va una de prueba: ponga la clave de prueba en {credential}, para que las pruebas no muevan dinero real.',
		'credentials',
	),
	'payments.test_user_in_production': e(
		'A test user is set for live payments: put the shop’s real account in {credential}.',
		'Hay un usuario de prueba para pagos reales: ponga la cuenta real de la tienda en {credential}.',
		'credentials',
	),
	// ------------------------------------------------------------ LLM
	'llm.model_unavailable': e(
		'The AI model the bot uses is not available: the bot switches to the backup AI provider; choose another model in {credential} or the Monitor’s Settings.',
		'El modelo de IA que usa el bot no está disponible: el bot pasa al proveedor de IA de respaldo; elija otro modelo en {credential} o en los Settings del Monitor.',
		'credentials',
	),
	'llm.quota_exhausted': e(
		'The AI account ran out of credit: the bot switches to the backup AI provider; add credit or raise the limit in the provider’s billing page.',
		'La cuenta de IA se quedó sin crédito: el bot pasa al proveedor de IA de respaldo; cargue crédito o suba el límite en la facturación del proveedor.',
		'provider',
	),
	// ------------------------------------------------------------ host
	'host.memory_low': e(
		'The server is almost out of memory, so the bot may slow down or stop: close what is not needed or give the server more memory.',
		'Al servidor casi no le queda memoria y el bot puede volverse lento o detenerse: cierre lo que no haga falta o dele más memoria.',
		'host',
	),
	'host.load_high': e(
		'The server has been very busy for minutes, so the bot answers slowly: find the process using the CPU, or give the server more cores.',
		'El servidor lleva minutos muy ocupado y el bot responde lento: busque el proceso que usa la CPU o dele más núcleos.',
		'host',
	),
	'host.disk_space_low': e(
		'The server’s disk is almost full: old backups and logs are cleaned up automatically; if it stays full, free space or enlarge the disk.',
		'El disco del servidor está casi lleno: las copias y los logs viejos se limpian solos; si sigue lleno, libere espacio o agrande el disco.',
		'host',
	),
	'host.inodes_low': e(
		'The server’s disk has too many small files: delete old temporary files or logs on it.',
		'El disco del servidor tiene demasiados archivos pequeños: borre archivos temporales o logs viejos.',
		'host',
	),
	'host.n8n_not_ready': e(
		'n8n runs but is not ready (its database or an update): wait a minute; if it lasts, restart n8n and read its log.',
		'n8n funciona pero no está listo (su base de datos o una actualización): espere un minuto; si dura, reinicie n8n y lea su registro.',
		'host',
	),
	// ------------------------------------------------------------ backups
	'backup.archive_corrupt': e('A backup file is damaged: run a new backup now and keep the damaged one aside.', 'Una copia de seguridad está dañada: haga una copia nueva ahora y aparte la dañada.', 'restore'),
	'backup.archive_missing': e('A backup file is missing from the backup folder: run a new backup and check who deletes files there.', 'Falta una copia en la carpeta de copias: haga una copia nueva y revise quién borra archivos allí.', 'restore'),
	'backup.checksum_mismatch': e('A backup does not match its checksum (changed or damaged): run a new backup now.', 'Una copia no coincide con su suma de control (cambiada o dañada): haga una copia nueva ahora.', 'restore'),
	'backup.checksum_missing': e('A backup has no checksum, so it cannot be verified: run a new backup.', 'Una copia no tiene suma de control y no se puede verificar: haga una copia nueva.', 'restore'),
	'backup.disk_full': e('The backup disk is full, so no new backup was made: free space there or lower how many backups are kept.', 'El disco de copias está lleno y no se hizo una copia nueva: libere espacio o guarde menos copias.', 'host'),
	'backup.dump_failed': e('The database backup (pg_dump) failed: check the database connection and the pg_dump version on the server.', 'Falló la copia de la base de datos (pg_dump): revise la conexión a la base y la versión de pg_dump del servidor.', 'host'),
	'backup.dump_unreadable': e('The database backup cannot be read back, so it would not restore: run a new backup and check the disk.', 'La copia de la base de datos no se puede leer y no serviría para restaurar: haga una copia nueva y revise el disco.', 'restore'),
	'backup.file_missing': e('A file the backup expected is missing: check the backup folder and run a new backup.', 'Falta un archivo que la copia esperaba: revise la carpeta de copias y haga una copia nueva.', 'restore'),
	'backup.manifest_mismatch': e('A backup’s contents do not match its list of files: run a new backup and do not restore this one.', 'El contenido de una copia no coincide con su lista de archivos: haga una copia nueva y no restaure esta.', 'restore'),
	'backup.restore_failed': e('Restoring a backup failed: nothing was overwritten; read the restore’s error in n8n and try another backup.', 'Falló la restauración de una copia: no se sobrescribió nada; lea el error en n8n y pruebe con otra copia.', 'restore'),
	'backup.restore_target_not_empty': e('The restore was stopped because the target is not empty: choose an empty target or allow overwriting on purpose.', 'Se detuvo la restauración porque el destino no está vacío: elija un destino vacío o permita sobrescribir a propósito.', 'restore'),
	'backup.source_changed': e('Files changed while they were being backed up: the backup is retried at the next run; nothing to do unless it repeats.', 'Los archivos cambiaron mientras se copiaban: la copia se reintenta en la próxima ejecución; no hace falta hacer nada salvo que se repita.'),
	'backup.source_missing': e('The folder to back up does not exist: correct dataFolder in the Backup workflow’s Settings.', 'La carpeta a copiar no existe: corrija dataFolder en los Settings del workflow de copias.', 'settings'),
	'backup.source_unreadable': e('n8n may not read the folder to back up: give n8n read access to it.', 'n8n no puede leer la carpeta a copiar: dele permiso de lectura.', 'host'),
	'backup.sqlite_failed': e('The snapshot of n8n’s own database failed: check that sqlite3 is installed and the disk has space.', 'Falló la instantánea de la base propia de n8n: revise que sqlite3 esté instalado y que haya espacio en disco.', 'host'),
	'backup.sqlite_inconsistent': e('The snapshot of n8n’s own database is inconsistent: the backup is retried; if it repeats, check the disk.', 'La instantánea de la base propia de n8n es inconsistente: la copia se reintenta; si se repite, revise el disco.', 'host'),
	'backup.sqlite_timeout': e('The snapshot of n8n’s own database took too long: it is retried at the next run; if it repeats, run it at a quieter hour.', 'La instantánea de la base propia de n8n tardó demasiado: se reintenta en la próxima ejecución; si se repite, prográmela en una hora más tranquila.'),
	'backup.sqlite_unavailable': e('sqlite3 is not installed on the server, so n8n’s own database is not backed up: install sqlite3.', 'sqlite3 no está instalado en el servidor y la base propia de n8n no se copia: instale sqlite3.', 'host'),
	'backup.tables_missing': e('The database backup lacks tables the catalog needs: do not restore it; check the database and run a new backup.', 'A la copia de la base le faltan tablas que el catálogo necesita: no la restaure; revise la base y haga una copia nueva.', 'restore'),
	'backup.tool_missing': e('A backup program (pg_dump or pg_restore) is missing on the server: install the PostgreSQL client tools.', 'Falta un programa de copias (pg_dump o pg_restore) en el servidor: instale las herramientas cliente de PostgreSQL.', 'host'),
	'backup.tool_too_old': e('The server’s pg_dump is older than the database: install a newer PostgreSQL client.', 'El pg_dump del servidor es más viejo que la base de datos: instale un cliente de PostgreSQL más nuevo.', 'host'),
	'backup.tool_unusable': e('A backup program on the server does not run: check its path in the Backup workflow’s Settings and reinstall it.', 'Un programa de copias del servidor no funciona: revise su ruta en los Settings del workflow de copias y reinstálelo.', 'settings'),
	'backup.unsafe_archive': e('A backup file contains unsafe paths and was not restored: do not use it; restore another backup.', 'Una copia contiene rutas inseguras y no se restauró: no la use; restaure otra copia.', 'restore'),
	'backup.unwritable': e('n8n may not write to the backup folder: give it write access or choose another folder in the Backup workflow’s Settings.', 'n8n no puede escribir en la carpeta de copias: dele permiso de escritura o elija otra carpeta en los Settings del workflow de copias.', 'settings'),
	'backup.write_failed': e('Writing the backup failed: check the backup disk (space, errors) and run a new backup.', 'Falló la escritura de la copia: revise el disco de copias (espacio, errores) y haga una copia nueva.', 'host'),
	// ------------------------------------------------------------ logs
	'logs.archive_dir_unwritable': e('n8n may not write to the log archive folder: give it write access or choose another folder in the Log Archive Settings.', 'n8n no puede escribir en la carpeta del archivo de logs: dele permiso de escritura o elija otra carpeta en los Settings del archivo de logs.', 'settings'),
	'logs.archive_failed': e('Archiving old logs failed: they are retried at the next run; if it repeats, read the error in n8n.', 'Falló el archivado de logs viejos: se reintenta en la próxima ejecución; si se repite, lea el error en n8n.'),
	'logs.archive_file_failed': e('An archive file of old logs could not be written: check the archive disk (space, permissions).', 'No se pudo escribir un archivo de logs viejos: revise el disco del archivo (espacio, permisos).', 'host'),
	'logs.archive_incomplete': e('Only part of the old logs was archived: the rest goes at the next run; nothing to do unless it repeats.', 'Solo se archivó una parte de los logs viejos: el resto va en la próxima ejecución; no hace falta hacer nada salvo que se repita.'),
	'logs.archive_running': e('A log archive was already running, so this one was skipped: nothing to do.', 'Ya había un archivado de logs en curso y este se saltó: no hace falta hacer nada.'),
	'logs.archive_schema_mismatch': e('The log table does not have the columns the archive expects: correct the table name or columns in the Log Archive Settings.', 'La tabla de logs no tiene las columnas que el archivo espera: corrija el nombre o las columnas en los Settings del archivo de logs.', 'settings'),
	'logs.archive_slow_batch': e('Archiving old logs is slow (a busy database): it goes on; nothing to do unless it repeats.', 'El archivado de logs viejos va lento (base ocupada): sigue adelante; no hace falta hacer nada salvo que se repita.'),
	'logs.error_spike': e('The bot is logging many more errors than usual: open its recent errors to see what customers run into.', 'El bot está registrando muchos más errores que lo normal: abra sus errores recientes para ver con qué se encuentran los clientes.', 'host'),
	'logs.table_missing': e('The log table does not exist: correct its name in the Log Archive Settings.', 'La tabla de logs no existe: corrija su nombre en los Settings del archivo de logs.', 'settings'),
};

/** An unknown code (e.g. from a newer node than this catalogue) still gets a plain sentence. */
const FALLBACK: OwnerEntry = e(
	'{service} is not working as it should: automatic recovery is trying; if this alert says a person is needed, open the technical details below.',
	'{service} no funciona como debería: la recuperación automática lo está intentando; si este aviso dice que se necesita una persona, abra los detalles técnicos de abajo.',
);

export interface OwnerSentence {
	text: string;
	act?: ActPlace;
	/** False for a code the catalogue does not know (the fallback sentence was used). */
	known: boolean;
}

/** The owner sentence of a cause code with its placeholders filled. */
export function ownerSentence(code: string, language: Language, fill: { service: string; credential: string }): OwnerSentence {
	const known = Object.prototype.hasOwnProperty.call(OWNER_SENTENCES, code);
	const entry = known ? OWNER_SENTENCES[code] : FALLBACK;
	const text = entry[language].replace(/\{service\}/g, fill.service).replace(/\{credential\}/g, fill.credential);
	return { text, known, ...(entry.act ? { act: entry.act } : {}) };
}
