// The panel's user-facing text, from custom labels (translatable in Translation Workbench).
import TITLE from '@salesforce/label/c.CoSell_Panel_Title';
import LOADING from '@salesforce/label/c.CoSell_Panel_Loading';
import TOGGLE_LABEL from '@salesforce/label/c.CoSell_Panel_Toggle_Label';
import TOGGLE_ON from '@salesforce/label/c.CoSell_Panel_Toggle_On';
import TOGGLE_OFF from '@salesforce/label/c.CoSell_Panel_Toggle_Off';
import NOT_READY_HINT from '@salesforce/label/c.CoSell_Panel_Not_Ready_Hint';
import STATUS_LABEL from '@salesforce/label/c.CoSell_Panel_Status_Label';
import NOT_SYNCED from '@salesforce/label/c.CoSell_Panel_Not_Synced';
import PC_STATUS_LABEL from '@salesforce/label/c.CoSell_Panel_PC_Status_Label';
import LAST_SYNCED_LABEL from '@salesforce/label/c.CoSell_Panel_Last_Synced_Label';
import NEVER from '@salesforce/label/c.CoSell_Panel_Never';
import REFERRAL_LABEL from '@salesforce/label/c.CoSell_Panel_Referral_Label';
import AWAITING_DECISION from '@salesforce/label/c.CoSell_Panel_Awaiting_Decision';
import CHECKLIST_HEADING from '@salesforce/label/c.CoSell_Panel_Checklist_Heading';
import ITEM_DONE from '@salesforce/label/c.CoSell_Panel_Item_Done';
import ITEM_TO_DO from '@salesforce/label/c.CoSell_Panel_Item_To_Do';
import SYNC_ON_TITLE from '@salesforce/label/c.CoSell_Panel_Sync_On_Title';
import SYNC_ON_MESSAGE from '@salesforce/label/c.CoSell_Panel_Sync_On_Message';
import SYNC_OFF_TITLE from '@salesforce/label/c.CoSell_Panel_Sync_Off_Title';
import SYNC_OFF_MESSAGE from '@salesforce/label/c.CoSell_Panel_Sync_Off_Message';
import TOGGLE_ERROR_TITLE from '@salesforce/label/c.CoSell_Panel_Toggle_Error_Title';
import LIVE_UPDATES_UNAVAILABLE from '@salesforce/label/c.CoSell_Live_Updates_Unavailable';

export default Object.freeze({
  TITLE,
  LOADING,
  TOGGLE_LABEL,
  TOGGLE_ON,
  TOGGLE_OFF,
  NOT_READY_HINT,
  STATUS_LABEL,
  NOT_SYNCED,
  PC_STATUS_LABEL,
  LAST_SYNCED_LABEL,
  NEVER,
  REFERRAL_LABEL,
  AWAITING_DECISION,
  CHECKLIST_HEADING,
  ITEM_DONE,
  ITEM_TO_DO,
  SYNC_ON_TITLE,
  SYNC_ON_MESSAGE,
  SYNC_OFF_TITLE,
  SYNC_OFF_MESSAGE,
  TOGGLE_ERROR_TITLE,
  LIVE_UPDATES_UNAVAILABLE,
});
