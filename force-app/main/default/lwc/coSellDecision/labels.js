// The decision's user-facing text, from custom labels (translatable in Translation Workbench).
import GROUP_LABEL from '@salesforce/label/c.CoSell_Decision_Group_Label';
import ACCEPT from '@salesforce/label/c.CoSell_Decision_Accept';
import DECLINE from '@salesforce/label/c.CoSell_Decision_Decline';
import REASON_LABEL from '@salesforce/label/c.CoSell_Decision_Reason_Label';
import REASON_PLACEHOLDER from '@salesforce/label/c.CoSell_Decision_Reason_Placeholder';
import CONFIRM_DECLINE from '@salesforce/label/c.CoSell_Decision_Confirm_Decline';
import CANCEL from '@salesforce/label/c.CoSell_Decision_Cancel';
import NOT_OWNER from '@salesforce/label/c.CoSell_Decision_Not_Owner';
import PENDING from '@salesforce/label/c.CoSell_Decision_Pending';
import EXPIRES_SOON from '@salesforce/label/c.CoSell_Decision_Expires_Soon';
import SAVED_TITLE from '@salesforce/label/c.CoSell_Decision_Saved_Title';
import SAVED_MESSAGE from '@salesforce/label/c.CoSell_Decision_Saved_Message';
import ERROR_TITLE from '@salesforce/label/c.CoSell_Decision_Error_Title';

export default Object.freeze({
  GROUP_LABEL,
  ACCEPT,
  DECLINE,
  REASON_LABEL,
  REASON_PLACEHOLDER,
  CONFIRM_DECLINE,
  CANCEL,
  NOT_OWNER,
  PENDING,
  EXPIRES_SOON,
  SAVED_TITLE,
  SAVED_MESSAGE,
  ERROR_TITLE,
});
