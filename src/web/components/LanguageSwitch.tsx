import { GlobalOutlined } from '@ant-design/icons';
import { Select } from 'antd';
import { LOCALES, type Locale } from '../api/types';
import { useI18n } from '../app/i18n';
import { useMe, useSaveLocale } from '../app/session';
import { LOCALE_NAMES } from '../locales';

/** 简体中文 / 繁體中文 / English: remembered on this device and saved to the account when signed in. */
export function LanguageSwitch() {
  const { locale, setLocale, t } = useI18n();
  const { data: me } = useMe();
  const { mutate: saveLocale } = useSaveLocale();
  const change = (next: Locale) => {
    setLocale(next);
    if (me) saveLocale(next);
  };
  return (
    <Select<Locale>
      aria-label={t('common.language')}
      data-testid="language-switch"
      value={locale}
      onChange={change}
      prefix={<GlobalOutlined />}
      popupMatchSelectWidth={false}
      style={{ minWidth: 136 }}
      options={LOCALES.map((code) => ({ value: code, label: LOCALE_NAMES[code] }))}
    />
  );
}
